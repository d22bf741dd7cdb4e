import { App, type AppProps, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * `new App(props)` for tests that build constructs by hand, without the two costs no such test
 * asserts (see ./synth-defaults.ts): the built-in CloudFormation validator and creation stack traces.
 * Pass `builtinCloudFormationValidation: true` to keep the validator.
 */
export function plainApp(props: AppProps = {}): App {
  return new App({
    builtinCloudFormationValidation: false,
    ...props,
    context: { 'aws:cdk:disable-creation-stack-traces': true, ...props.context },
  });
}

/** The brokers' VPC of construct tests: isolated subnets only (no NAT), one per availability zone. */
export function isolatedVpc(stack: Stack, availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    availabilityZones,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Brokers', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}
