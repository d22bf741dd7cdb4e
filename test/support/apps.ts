import { App, type AppProps } from 'aws-cdk-lib';

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
