import { Annotations, CfnOutput, CfnResource, Tags, Validations, type Stack, type Stage } from 'aws-cdk-lib';

/** Where an environment's stacks go: the App, or a CDK Pipelines stage (lib/pipeline). */
type App = Stage;
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  CATALOG_MAX_AGE_DAYS,
  catalogAge,
  ENGINE_UPGRADE_PATHS,
  MAX_OUTPUTS_PER_STACK,
  MAX_RESOURCES_PER_STACK,
  SOURCES,
} from '../amazonmq/catalog';
import type { ResolvedConfig } from '../config/resolve';
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from '../config/resolve';
import { environmentSecretNamePattern } from '../contract/names';
import { TAG_KEYS } from '../contract/tags';
import { BrokerAlarmsStack } from '../stacks/broker-alarms-stack';
import { BrokersStack } from '../stacks/brokers-stack';
import { consumerFunctionArn } from '../stacks/broker-consumers';
import { MonitoringStack } from '../stacks/monitoring-stack';
import { NetworkStack } from '../stacks/network-stack';
import { addReplicas, type ReplicaRegionStacks } from '../stacks/replica-stacks';
import { committedBaseline, isBaseline, type Baseline } from '../review/baseline';
import { isProtectedBaseline } from '../review/protection-guard';
import type { StackTemplates } from '../review/template-diff';
import { ReplacementGuardPlugin } from './replacement-guard-plugin';
import { addWebIdentityTokenEndpoint } from '../stacks/token-broker';

export interface EnvironmentStacks {
  readonly network?: NetworkStack;
  readonly brokers: BrokersStack;
  readonly monitoring: MonitoringStack;
  /** One per broker, in config order. */
  readonly alarms: readonly BrokerAlarmsStack[];
  /** Per Region holding brokers[].replica: its replication key and replica environment. @default - none */
  readonly replicas?: readonly ReplicaRegionStacks[];
}

export interface AddEnvironmentOptions {
  /**
   * What the replacement guard compares with (plain templates: the config's own environment, its
   * snapshots present); `false` turns the guard off (only for `npm run review`, which reports the
   * same findings itself).
   * @default - the snapshots committed at the merge base with main (lib/review/baseline.ts committedBaseline)
   */
  readonly baseline?: Baseline | StackTemplates | false;
  /**
   * The config file, so that the guard finds the baseline of an environment the config renames.
   * @default - a rename looks like a new environment
   */
  readonly configFile?: string;
  /**
   * The day synth runs, to warn when the catalog of AWS facts is older than CATALOG_MAX_AGE_DAYS.
   * Warnings are annotations, never template content, so templates stay deterministic.
   * @default - now
   */
  readonly today?: Date;
}

/** Creates the stacks of one environment from its validated config. */
export function addEnvironment(app: App, config: ResolvedConfig, options: AddEnvironmentOptions = {}): EnvironmentStacks {
  const env = { region: config.region, account: config.account };
  const common = { env, terminationProtection: config.protected };

  let network: NetworkStack | undefined;
  if (config.network.mode === 'create') {
    network = new NetworkStack(app, config.names.networkStack, {
      ...common,
      // Explicit, so that a pipeline stage deploys the same stack names as `cdk deploy`.
      stackName: config.names.networkStack,
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
    // Lambda consumers' pollers call Lambda and STS from the broker subnets (issue 17).
    const consumers = config.brokers.flatMap((b) => b.consumers);
    if (consumers.length > 0) {
      const stack = network;
      stack.network.addLambdaConsumerEndpoints({
        functionArns: consumers.map((c) => consumerFunctionArn(stack, c)),
        roleArns: consumers.map((c) => c.roleArn),
      });
    }
    // IAM-authenticated RabbitMQ clients in the VPC get their tokens from STS (issue 15).
    addWebIdentityTokenEndpoint(network.network, config.brokers);
  }
  const brokers = new BrokersStack(app, config.names.brokersStack, {
    ...common,
    // Explicit, so that a pipeline stage deploys the same stack names as `cdk deploy`.
    stackName: config.names.brokersStack,
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
    // Explicit, so that a pipeline stage deploys the same stack names as `cdk deploy`.
    stackName: config.names.monitoringStack,
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
      // Explicit, so that a pipeline stage deploys the same stack names as `cdk deploy`.
      stackName: broker.alarmStackName,
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
  addWarnings(config, monitoring, options.today ?? new Date());
  limitResources(brokers, 'brokers', () => {
    const users = config.brokers.reduce((n, b) => n + b.users.length, 0);
    return `${config.brokers.length} brokers with ${users} users`;
  });
  limitResources(monitoring, 'monitoring', () => 'the alarm topic and dashboard');
  if (network) limitResources(network, 'network', () => 'the network');
  alarms.forEach((stack, i) => limitResources(stack, `brokers[${i}].queues`, () => `${config.brokers[i].monitoring.queues.length} queues`));
  // CRDR replicas: the same stacks in the replica Region (the replica plan has no replicas itself).
  // Their stacks belong to this environment: one guard below compares them all with its snapshots.
  const replicas = config.brokers.some((b) => b.replica)
    ? addReplicas(
        app,
        config,
        { brokers, alarms },
        {
          stackProps: common,
          addEnvironment: (plan) => addEnvironment(app, plan, { ...options, baseline: false }),
        },
      )
    : undefined;
  const replicaStacks = (replicas ?? []).flatMap((r) => [
    r.replicationKey,
    r.stacks.network,
    r.stacks.brokers,
    r.stacks.monitoring,
    ...r.stacks.alarms,
  ]);
  // Every stack is compared with its snapshot: the alarm topic's key is retained like the brokers' keys.
  if (options.baseline !== false) {
    const baseline = addReplacementGuard(app, config, [network, brokers, monitoring, ...alarms, ...replicaStacks], options);
    if (baseline && config.protected) checkEngineUpgrades(brokers, config, baseline.templates);
  }
  return { network, brokers, monitoring, alarms, ...(replicas ? { replicas } : {}) };
}

/**
 * CloudFormation refuses a template of more than MAX_RESOURCES_PER_STACK resources or
 * MAX_OUTPUTS_PER_STACK outputs (exports included) at deploy time; synth refuses it first,
 * counting what the stack really declares, and names the config field that grows it.
 */
function limitResources(stack: Stack, path: string, what: () => string): void {
  stack.node.addValidation({
    validate: () => {
      const all = stack.node.findAll();
      const count = (kind: string, n: number, max: number) =>
        n <= max
          ? []
          : [
              `${path}: "${what()}" make ${stack.stackName} declare ${n} ${kind}; allowed: at most ${max} per CloudFormation stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html): fewer users or brokers per environment, or split it in two`,
            ];
      return [
        ...count('resources', all.filter((c) => CfnResource.isCfnResource(c)).length, MAX_RESOURCES_PER_STACK),
        ...count('outputs', all.filter((c) => c instanceof CfnOutput).length, MAX_OUTPUTS_PER_STACK),
      ];
    },
  });
}

/**
 * The acknowledge id of a synth warning: its config path, with `[i]` written `.i` (the CLI cuts an
 * id at `[`, so `brokers[0].x` would print the unusable `mq-platform:brokers[0`).
 */
export function warningId(message: string): string {
  return `mq-platform:${message
    .split(':')[0]
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/[[\]]/g, '.')}`;
}

/** Synth warnings (annotations, not template content): validation warnings, a stale catalog, nobody notified. */
function addWarnings(config: ResolvedConfig, monitoring: MonitoringStack, today: Date): void {
  const warn = (message: string) => Annotations.of(monitoring).addWarningV2(warningId(message), message);
  for (const line of config.warnings ?? []) warn(line);
  const age = catalogAge(today);
  if (age.days > CATALOG_MAX_AGE_DAYS) {
    warn(
      `catalog: lib/amazonmq/catalog.ts was last checked ${age.days} days ago (${age.fact}, ${age.date}); allowed: at most ${CATALOG_MAX_AGE_DAYS} days. Re-check its facts against their SOURCES (new engine versions, instance types, ends of support) and update FACT_DATES`,
    );
  }
  const m = config.monitoring;
  if (config.protected && m.subscriptions.length === 0 && m.alarmTopicArns.length === 0) {
    warn(
      'monitoring.subscriptions: (missing) notifies nobody when an alarm of this protected environment fires; allowed: at least one subscription ({ "protocol": "email", "endpoint": "oncall@example.com" }) or monitoring.alarmTopicArns',
    );
  }
}

/**
 * Amazon MQ upgrades an engine in place one step at a time (RabbitMQ 3.13 → 4.2 → 4.3) and never
 * down: a protected environment's deployed version (its baseline) must reach the config's in one
 * step, or the deploy fails at the broker update.
 */
function checkEngineUpgrades(stack: Stack, config: ResolvedConfig, baseline: StackTemplates): void {
  const deployed = new Map<string, { engine: unknown; version: string }>();
  for (const template of Object.values(baseline)) {
    for (const r of Object.values(template.Resources ?? {})) {
      const p = (r as { Type?: string; Properties?: Record<string, unknown> }).Properties;
      if (
        (r as { Type?: string }).Type === 'AWS::AmazonMQ::Broker' &&
        typeof p?.BrokerName === 'string' &&
        typeof p.EngineVersion === 'string'
      ) {
        deployed.set(p.BrokerName, { engine: p.EngineType, version: p.EngineVersion });
      }
    }
  }
  stack.node.addValidation({
    validate: () =>
      config.brokers.flatMap((b, i) => {
        const was = deployed.get(b.brokerName);
        // Another engine replaces the broker: the replacement guard names that change.
        if (was === undefined || was.engine !== b.engine || was.version === b.engineVersion) return [];
        const from = was.version;
        const next = ENGINE_UPGRADE_PATHS[b.engine][from] ?? [];
        if (next.includes(b.engineVersion)) return [];
        return [
          `brokers[${i}].engineVersion: "${b.engineVersion}" cannot be reached from ${from}, the version the committed snapshot deploys; allowed: ${[from, ...next].join(', ')} (Amazon MQ upgrades in place one step at a time and never down: ${upgradeChain(b.engine)}; ${SOURCES.rabbitMq43})`,
        ];
      }),
  });
}

function upgradeChain(engine: keyof typeof ENGINE_UPGRADE_PATHS): string {
  return Object.entries(ENGINE_UPGRADE_PATHS[engine])
    .map(([from, to]) => `${from} → ${to.join(' or ')}`)
    .join(', ');
}

function addReplacementGuard(
  app: App,
  config: ResolvedConfig,
  stacks: ReadonlyArray<Stack | undefined>,
  options: AddEnvironmentOptions,
): Baseline | undefined {
  const given = options.baseline;
  const baseline: Baseline = isBaseline(given)
    ? given
    : given
      ? { ref: 'given', environment: config.environment, templates: given, snapshotsInWorkingTree: true }
      : committedBaseline(config.environment, { configFile: options.configFile });
  // The protection is read from the baseline too: a config cannot lower its own guard.
  if (!config.protected && !isProtectedBaseline(baseline.templates) && config.unlock.length === 0) return undefined;
  const present = stacks.filter((s): s is Stack => s !== undefined);
  if (Object.keys(baseline.templates).length === 0) {
    Annotations.of(present[present.length - 1]).addInfo(
      `replacement guard: no committed snapshots in test/snapshots/${config.environment}/ to compare with (a new environment); run \`npx jest -u\` and commit them`,
    );
  }
  Validations.of(app).addPlugins(
    new ReplacementGuardPlugin({
      environment: config.environment,
      stacks: Object.fromEntries(present.map((s) => [s.node.path, s.stackName])),
      protected: config.protected,
      baseline,
      allowReplacement: config.allowReplacement,
      unlock: config.unlock,
    }),
  );
  return baseline;
}
