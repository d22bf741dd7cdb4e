import { Tags, type App } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ResolvedConfig } from '../config/resolve';
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from '../config/resolve';
import { BrokersStack } from '../stacks/brokers-stack';
import { NetworkStack } from '../stacks/network-stack';

export interface EnvironmentStacks {
  readonly network?: NetworkStack;
  readonly brokers: BrokersStack;
}

/** Stack names: `MqPlatform-<environment>-<Part>`. */
export function stackName(config: Pick<ResolvedConfig, 'environment'>, part: string): string {
  return `MqPlatform-${config.environment}-${part}`;
}

/** Creates the stacks of one environment from its validated config. */
export function addEnvironment(app: App, config: ResolvedConfig): EnvironmentStacks {
  const env = { region: config.region, account: config.account };
  const common = { env, terminationProtection: config.protected };

  let network: NetworkStack | undefined;
  if (config.network.mode === 'create') {
    network = new NetworkStack(app, stackName(config, 'Network'), {
      ...common,
      description: `mq-platform ${config.environment}: VPC, flow logs, Secrets Manager and Amazon MQ API endpoints`,
      cidr: config.network.cidr,
      availabilityZones: config.network.availabilityZones,
      subnetCidrMask: config.network.subnetCidrMask,
      flowLogRetention: (config.network.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS) as logs.RetentionDays,
      // ActiveMQ credential rotation calls the Amazon MQ API from the isolated subnets.
      mqApiEndpoint: config.brokers.some((b) => b.engine === 'ACTIVEMQ'),
    });
  }
  const brokers = new BrokersStack(app, stackName(config, 'Brokers'), {
    ...common,
    description: `mq-platform ${config.environment}: Amazon MQ brokers, keys, credentials, security groups`,
    config,
    vpc: network?.network.vpc,
    apiEndpointSecurityGroups: network ? [network.network.endpointSecurityGroup] : undefined,
  });

  for (const stack of [network, brokers]) {
    if (!stack) continue;
    Tags.of(stack).add('mq-platform:environment', config.environment);
    for (const [key, value] of Object.entries(config.tags)) Tags.of(stack).add(key, value);
  }
  return { network, brokers };
}
