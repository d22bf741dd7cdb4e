import { z } from 'zod';

/**
 * The broker's Amazon MQ configuration (AWS::AmazonMQ::Configuration, associated by revision):
 * typed values that synth turns into rabbitmq.conf or the ActiveMQ XML. Ranges and what each
 * engine version accepts are checked by lib/config/rules/configuration-rules.ts.
 */

const int = () => z.number().int();

export const RabbitMqLimitsSchema = z
  .strictObject({
    connectionsPerNode: int()
      .optional()
      .describe(
        "connection_max: connections each node accepts. Default: Amazon MQ's default for the instance size and mode (e.g. 500 on an mq.m7g.large cluster).",
      ),
    channelsPerNode: int()
      .optional()
      .describe("channel_max_per_node: channels each node accepts. Default: Amazon MQ's default for the size and mode."),
    queues: int().optional().describe("cluster_queue_limit: queues in the broker. Default: Amazon MQ's default for the size and mode."),
    vhosts: int().optional().describe("vhost_max: virtual hosts in the broker. Default: Amazon MQ's default for the size and mode."),
    shovels: int().optional().describe("runtime_parameters.limits.shovel: shovels. Default: Amazon MQ's default for the size and mode."),
    exchanges: int()
      .optional()
      .describe("cluster_exchange_limit: exchanges in the broker. Default: Amazon MQ's default for the size and mode."),
    consumersPerChannel: int().optional().describe('consumer_max_per_channel: consumers on one channel. Default: 10.'),
    maxMessageSizeBytes: int().optional().describe('max_message_size: largest message in bytes. Default: 524288 (512 KiB).'),
  })
  .describe(
    "RabbitMQ 4.x only: resource limits, each between 1 and the maximum of the instance size and mode (rabbitmq-resource-hard-limit). Alarms take their thresholds from these. Default: Amazon MQ's defaults for the size and mode.",
  );

export const RabbitMqConfigurationSchema = z
  .strictObject({
    consumerTimeoutMs: int()
      .optional()
      .describe(
        'consumer_timeout: ms a consumer may hold a delivery unacknowledged before its channel is closed; 0 = no timeout. 0 to 2147483647. Default: 1800000 (30 minutes).',
      ),
    heartbeatSeconds: int()
      .optional()
      .describe('heartbeat: seconds before an idle connection is considered dead. 60 to 3600. Default: 60.'),
    operatorPolicyChangesDisabled: z
      .boolean()
      .optional()
      .describe('management.restrictions.operator_policy_changes.disabled: forbid changing operator policies. Default: true.'),
    quorumQueueRelaxedChecksOnRedeclaration: z
      .boolean()
      .optional()
      .describe(
        'quorum_queue.property_equivalence.relaxed_checks_on_redeclaration (3.13+): redeclaring a quorum queue with classic arguments does not close the channel. Default: true.',
      ),
    secureManagementHttpHeaders: z
      .boolean()
      .optional()
      .describe('secure.management.http.headers.enabled: the management API sends hardened HTTP security headers. Default: true.'),
    limits: RabbitMqLimitsSchema.optional(),
  })
  .describe('RabbitMQ only: rabbitmq.conf values Amazon MQ lets you set (configurable-values).');

const destination = {
  queue: z.string().optional().describe('Queue name or ActiveMQ wildcard ("orders.>", ">"): exactly one of queue or topic.'),
  topic: z.string().optional().describe('Topic name or ActiveMQ wildcard: exactly one of queue or topic.'),
};

export const DeadLetterSchema = z
  .strictObject({
    strategy: z
      .enum(['individual', 'shared', 'discard'])
      .describe(
        'individual: a dead-letter queue per destination (queuePrefix + name); shared: one queue for all (deadLetterQueue); discard: drop dead letters.',
      ),
    queuePrefix: z.string().optional().describe('individual only: prefix of each dead-letter queue. Default: "DLQ.".'),
    deadLetterQueue: z.string().optional().describe('shared only: the dead-letter queue. Default: "ActiveMQ.DLQ".'),
    processExpired: z
      .boolean()
      .optional()
      .describe('Expired messages go to the dead-letter queue (false: they are dropped). Default: true.'),
    processNonPersistent: z
      .boolean()
      .optional()
      .describe('Non-persistent messages are dead-lettered too (false: dropped). Default: false.'),
    expirationMs: int().optional().describe('Dead letters themselves expire after this many ms; 0 = never. Default: 0.'),
  })
  .describe('Where messages that expire or exhaust their redeliveries go (deadLetterStrategy).');

export const DestinationPolicySchema = z
  .strictObject({
    ...destination,
    memoryLimit: z
      .string()
      .optional()
      .describe('Memory this destination may hold before producer flow control, e.g. "10 mb". Default: the broker\'s memory limit.'),
    producerFlowControl: z
      .boolean()
      .optional()
      .describe('Slow producers down when memoryLimit is reached (false: spool to disk). Default: true.'),
    expireMessagesPeriodMs: int()
      .optional()
      .describe('How often, in ms, the broker looks for expired messages; 0 = only on dispatch. Default: 30000.'),
    deadLetter: DeadLetterSchema.optional(),
  })
  .describe('A destination policy (policyEntry) for one destination or wildcard.');

export const RedeliveryPolicySchema = z
  .strictObject({
    ...destination,
    maximumRedeliveries: int().optional().describe('Broker redeliveries before dead-lettering; -1 = forever. Default: 6.'),
    initialRedeliveryDelayMs: int()
      .optional()
      .describe('Delay before the first redelivery, ms; at least 1000 (the redelivery plugin refuses shorter). Default: 1000.'),
    redeliveryDelayMs: int().optional().describe('Delay between later redeliveries, ms; at least 1000. Default: 1000.'),
    useExponentialBackOff: z.boolean().optional().describe('Multiply the delay by backOffMultiplier each time. Default: false.'),
    backOffMultiplier: z.number().optional().describe('Back-off factor. Default: 5.'),
    maximumRedeliveryDelayMs: int().optional().describe('Longest delay with back-off, ms; -1 = unbounded. Default: -1.'),
  })
  .describe('A redelivery policy: without queue/topic it is the default for every destination.');

export const RedeliverySchema = z
  .strictObject({
    sendToDlqIfMaxRetriesExceeded: z.boolean().optional().describe('Dead-letter a message that exhausted its redeliveries. Default: true.'),
    fallbackToDeadLetter: z.boolean().optional().describe('Dead-letter messages of destinations no policy covers. Default: true.'),
    defaultPolicy: RedeliveryPolicySchema.optional(),
    policies: z.array(RedeliveryPolicySchema).optional().describe('Per-destination redelivery policies. Default: none.'),
  })
  .describe(
    'ActiveMQ redelivery plugin: the broker redelivers failed messages with a delay before dead-lettering them (enables schedulerSupport).',
  );

export const AuthorizationEntrySchema = z
  .strictObject({
    ...destination,
    read: z.array(z.string()).optional().describe('Groups that may consume. Default: none.'),
    write: z.array(z.string()).optional().describe('Groups that may produce. Default: none.'),
    admin: z.array(z.string()).optional().describe('Groups that may create and delete it. Default: none.'),
  })
  .describe('Which user groups may read, write and administer a destination (or wildcard).');

export const ActiveMqConfigurationSchema = z
  .strictObject({
    destinationPolicies: z
      .array(DestinationPolicySchema)
      .optional()
      .describe("Destination policies, in order. Default: none (Amazon MQ's defaults)."),
    redelivery: RedeliverySchema.optional(),
    authorization: z
      .array(AuthorizationEntrySchema)
      .optional()
      .describe(
        'Authorization map: once set, a user may only use destinations an entry grants to one of its groups (every group also gets the advisory topics, and temporary destinations). Default: none (every user may use every destination).',
      ),
  })
  .describe('ActiveMQ only: the broker configuration XML, generated from these fields.');

export const BrokerConfigurationSchema = z
  .strictObject({
    rabbitmq: RabbitMqConfigurationSchema.optional(),
    activemq: ActiveMqConfigurationSchema.optional(),
  })
  .describe(
    "The broker's Amazon MQ configuration, a new revision on each change; the broker applies it at its next reboot or maintenance window. Default: none (Amazon MQ's defaults).",
  );

export type BrokerConfigurationConfig = z.output<typeof BrokerConfigurationSchema>;
export type RabbitMqConfigurationConfig = z.output<typeof RabbitMqConfigurationSchema>;
export type ActiveMqConfigurationConfig = z.output<typeof ActiveMqConfigurationSchema>;
export type DestinationPolicyConfig = z.output<typeof DestinationPolicySchema>;
export type RedeliveryPolicyConfig = z.output<typeof RedeliveryPolicySchema>;
export type AuthorizationEntryConfig = z.output<typeof AuthorizationEntrySchema>;
