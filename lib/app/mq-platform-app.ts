import { Annotations, Tags, Validations, type App, type Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ResolvedConfig } from '../config/resolve';
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from '../config/resolve';
import { environmentSecretNamePattern } from '../contract/names';
import { TAG_KEYS } from '../contract/tags';
import { BrokerAlarmsStack } from '../stacks/broker-alarms-stack';
import { BrokersStack } from '../stacks/brokers-stack';
import { MonitoringStack } from '../stacks/monitoring-stack';
import { NetworkStack } from '../stacks/network-stack';
import { readSnapshotDir, snapshotDir } from '../review/baseline';
import type { StackTemplates } from '../review/template-diff';
import { ReplacementGuardPlugin } from './replacement-guard-plugin';

export interface EnvironmentStacks {
  readonly network?: NetworkStack;
  readonly brokers: BrokersStack;
  readonly monitoring: MonitoringStack;
  /** One per broker, in config order. */
  readonly alarms: readonly BrokerAlarmsStack[];
}

export interface AddEnvironmentOptions {
  /**
   * What the replacement guard of a protected environment compares with; `false` turns the guard
   * off (only for `npm run review`, which reports the same findings itself).
   * @default - the committed snapshots, test/snapshots/<environment>/*.json
   */
  readonly baseline?: StackTemplates | false;
}

/** Creates the stacks of one environment from its validated config. */
export function addEnvironment(app: App, config: ResolvedConfig, options: AddEnvironmentOptions = {}): EnvironmentStacks {
  const env = { region: config.region, account: config.account };
  const common = { env, terminationProtection: config.protected };

  let network: NetworkStack | undefined;
  if (config.network.mode === 'create') {
    network = new NetworkStack(app, config.names.networkStack, {
      ...common,
      description: `mq-platform ${config.environment}: VPC, flow logs, Secrets Manager and Amazon MQ API endpoints`,
      cidr: config.network.cidr,
      availabilityZones: config.network.availabilityZones,
      subnetCidrMask: config.network.subnetCidrMask,
      flowLogRetention: (config.network.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS) as logs.RetentionDays,
      // ActiveMQ credential rotation calls the Amazon MQ API from the isolated subnets.
      mqApiEndpoint: config.brokers.some((b) => b.engine === 'ACTIVEMQ'),
      // The rotation function answers its custom resources (users, seeds) through a presigned S3 URL.
      s3Endpoint: config.brokers.length > 0,
      // Endpoint policies: only this environment's secrets and brokers.
      secretNamePatterns: [environmentSecretNamePattern(config.environment)],
      brokerNames: config.brokers.map((b) => b.brokerName),
    });
  }
  const brokers = new BrokersStack(app, config.names.brokersStack, {
    ...common,
    description: `mq-platform ${config.environment}: Amazon MQ brokers, keys, credentials, security groups`,
    environment: config.environment,
    protected: config.protected,
    names: config.names,
    removalPolicy: config.removalPolicy,
    brokers: config.brokers,
    network: config.network,
    alarmTopicName: config.monitoring.topicName,
    vpc: network?.network.vpc,
    apiEndpointSecurityGroups: network ? [network.network.endpointSecurityGroup] : undefined,
  });

  const monitoring = new MonitoringStack(app, config.names.monitoringStack, {
    ...common,
    description: `mq-platform ${config.environment}: alarm topic, its key, dashboard`,
    names: config.names,
    monitoring: config.monitoring,
    brokers: config.brokers,
    removalPolicy: config.removalPolicy,
  });
  brokers.addStackDependency(monitoring, 'the credential-rotation alarm publishes to the alarm topic');
  const alarms = config.brokers.map((broker) => {
    const stack = new BrokerAlarmsStack(app, broker.alarmStackName, {
      ...common,
      description: `mq-platform ${config.environment}: alarms of broker ${broker.brokerName}`,
      monitoring: config.monitoring,
      broker,
    });
    stack.addStackDependency(monitoring, 'alarm actions publish to the alarm topic');
    return stack;
  });

  for (const stack of [network, brokers, monitoring, ...alarms]) {
    if (!stack) continue;
    Tags.of(stack).add(TAG_KEYS.environment, config.environment);
    for (const [key, value] of Object.entries(config.tags)) Tags.of(stack).add(key, value);
  }
  // Every stack is compared with its snapshot: the alarm topic's key is retained like the brokers' keys.
  if (config.protected && options.baseline !== false) addReplacementGuard(app, config, [network, brokers, monitoring, ...alarms], options.baseline);
  return { network, brokers, monitoring, alarms };
}

function addReplacementGuard(app: App, config: ResolvedConfig, stacks: ReadonlyArray<Stack | undefined>, given?: StackTemplates): void {
  const baseline = given ?? readSnapshotDir(snapshotDir(config.environment));
  const present = stacks.filter((s): s is Stack => s !== undefined);
  if (Object.keys(baseline).length === 0) {
    Annotations.of(present[present.length - 1]).addInfo(
      `replacement guard: no committed snapshots in test/snapshots/${config.environment}/ to compare with (a new environment); run \`npx jest -u\` and commit them`,
    );
  }
  Validations.of(app).addPlugins(
    new ReplacementGuardPlugin({
      environment: config.environment,
      stacks: Object.fromEntries(present.map((s) => [s.node.path, s.stackName])),
      baseline,
      allowReplacement: config.allowReplacement,
    }),
  );
}
