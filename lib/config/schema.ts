import { z } from 'zod';
import {
  DAYS_OF_WEEK,
  DEPLOYMENT_MODES,
  ENGINES,
  PROTOCOLS,
  STORAGE_TYPES,
  type DayOfWeek,
  type DeploymentMode,
  type Engine,
  type Protocol,
  type StorageType,
} from '../amazonmq/engines';
import { AuthenticationSchema } from './schema-authentication';
import { ConsumersSchema } from './schema-consumers';
import { DefinitionsSchema } from './schema-definitions';
import { BrokerConfigurationSchema } from './schema-configuration';
import { ReplicaSchema } from './schema-replica';

/**
 * The single source of the config's shape: the TypeScript types and config/schema.json are both
 * generated from it. Structure, types and unknown keys are checked here; rules that depend on
 * more than one field (engine/mode pairs, versions, instance types, ...) live in ./rules.
 */

// Amazon MQ's enumerations are defined once, in lib/amazonmq; re-exported for the config's users.
export { DAYS_OF_WEEK, DEPLOYMENT_MODES, ENGINES, PROTOCOLS, STORAGE_TYPES };
export type { DayOfWeek, DeploymentMode, Engine, Protocol, StorageType };
export const ROTATION_FREQUENCIES = ['WEEKLY', 'MONTHLY', 'QUARTERLY'] as const;
export type RotationFrequency = (typeof ROTATION_FREQUENCIES)[number];

const tags = z.record(z.string(), z.string()).describe('Tags applied to every resource of this scope (merged over the environment tags).');

const createdVpc = z
  .strictObject({
    mode: z.literal('create').describe('Create a new VPC with private isolated subnets.'),
    cidr: z.string().describe('IPv4 CIDR of the new VPC, for example "10.20.0.0/16" (a /16 to /24 block).'),
    availabilityZones: z
      .array(z.string())
      .describe('Availability zones of the region, named explicitly so that synth needs no lookup (2 or 3).'),
    subnetCidrMask: z.number().int().optional().describe('Prefix length of each private subnet. Default: 24.'),
    flowLogRetentionDays: z
      .number()
      .int()
      .optional()
      .describe('Days to keep VPC flow logs in CloudWatch Logs, a year or more (Control Tower CT.CLOUDWATCH.PR.2). Default: 365.'),
  })
  .describe('A new VPC.');

const importedVpc = z
  .strictObject({
    mode: z.literal('import').describe('Use an existing VPC, imported by id (no lookup at synth).'),
    vpcId: z.string().describe('Id of the existing VPC, for example "vpc-0a1b2c3d4e5f67890".'),
    cidr: z.string().describe('IPv4 CIDR of the existing VPC (used for documentation and validation of client ranges).'),
    availabilityZones: z.array(z.string()).describe('Availability zones of the subnets, in the same order as subnetIds.'),
    subnetIds: z.array(z.string()).describe('Private subnet ids, one per availability zone, in the same order as availabilityZones.'),
  })
  .describe('An existing VPC.');

export const ClientSchema = z
  .strictObject({
    name: z.string().describe('Who this client is, for example "orders-service" (used in rule descriptions).'),
    cidr: z.string().optional().describe('IPv4 CIDR the client connects from. Never 0.0.0.0/0.'),
    securityGroupId: z.string().optional().describe('Security group id of the client, for example "sg-0123456789abcdef0".'),
    protocols: z.array(z.enum(PROTOCOLS)).optional().describe("Protocols this client may use. Default: all of the broker's protocols."),
  })
  .describe('A named client allowed to reach the broker: exactly one of cidr or securityGroupId.');

export const PermissionSchema = z
  .strictObject({
    vhost: z.string().describe('Virtual host, for example "/" or "orders". It must exist on the broker (definitions, issue 11).'),
    configure: z
      .string()
      .optional()
      .describe('Regular expression of the resources this user may configure (declare, delete). Default: ".*".'),
    write: z.string().optional().describe('Regular expression of the resources this user may publish to. Default: ".*".'),
    read: z.string().optional().describe('Regular expression of the resources this user may consume from. Default: ".*".'),
  })
  .describe('RabbitMQ only: what an application user may do on one virtual host (RabbitMQ access control).');

export const UserSchema = z
  .strictObject({
    username: z
      .string()
      .describe(
        'Broker username of an application credential. The credential is an alternating pair of broker users, this one and "<username>_clone"; its secret names the one currently valid. The passwords are generated and rotated in Secrets Manager.',
      ),
    consoleAccess: z.boolean().optional().describe('ActiveMQ only: allow this user (and its _clone) into the web console. Default: false.'),
    groups: z.array(z.string()).optional().describe('ActiveMQ only: groups of this user (and its _clone). Default: none.'),
    tags: z
      .array(z.string())
      .optional()
      .describe(
        'RabbitMQ only: user tags of this user and its _clone, for example ["management"]; never "administrator" (the broker\'s one administrator is reserved for the platform). Default: none.',
      ),
    permissions: z
      .array(PermissionSchema)
      .optional()
      .describe(
        'RabbitMQ only: permissions of this user and its _clone, one entry per virtual host. Default: [{ "vhost": "/", "configure": ".*", "write": ".*", "read": ".*" }].',
      ),
    readers: z
      .array(z.string())
      .optional()
      .describe(
        "IAM role ARNs (for example an application's role) that may read this user's secret; every other principal is denied reading it, account administrators included. Default: none (only the platform: the credential rotation function and CloudFormation).",
      ),
  })
  .describe('An application credential: an alternating pair of broker users whose passwords live in Secrets Manager.');

export const AdministratorSchema = z
  .strictObject({
    username: z
      .string()
      .describe('Username of the administrator created with the broker (for a deployed broker: its existing first user).'),
    rotation: z
      .boolean()
      .optional()
      .describe(
        "Rotate the administrator's secret (single user, by the platform only). Set false only while migrating: applications that still log in as the administrator keep working until they move to their own users. Default: true.",
      ),
  })
  .describe(
    'RabbitMQ only, required: the one administrator Amazon MQ creates with the broker, reserved for the platform (rotation, users, definitions); never handed to applications.',
  );

export const MaintenanceWindowSchema = z
  .strictObject({
    dayOfWeek: z.enum(DAYS_OF_WEEK).describe('Day of the weekly maintenance window.'),
    timeOfDay: z.string().describe('Start time, 24-hour "HH:MM".'),
    timeZone: z.string().optional().describe('Time zone of timeOfDay, "UTC" or an IANA name. Default: "UTC".'),
  })
  .describe('Weekly maintenance window. Default: SUNDAY 03:00 UTC.');

export const LogsSchema = z
  .strictObject({
    general: z.boolean().optional().describe('Publish general logs to CloudWatch Logs. Default: true.'),
    audit: z
      .boolean()
      .optional()
      .describe('ActiveMQ only: publish audit logs. Default: true for ActiveMQ; must be absent or false for RabbitMQ.'),
  })
  .describe('Broker logs. Default: general on; audit on for ActiveMQ.');

export const BrokerRotationSchema = z
  .strictObject({
    acceptRebootDowntime: z
      .boolean()
      .optional()
      .describe(
        'ActiveMQ only; required (true) for single-instance brokers: accept that each rotation cycle reboots the broker once inside its maintenance window, which is minutes of downtime for a single instance (active/standby brokers fail over). Default: none, and synth fails for single-instance ActiveMQ.',
      ),
  })
  .describe("This broker's credential rotation (see docs/rotation.md).");

export const RotationSchema = z
  .strictObject({
    frequency: z
      .enum(ROTATION_FREQUENCIES)
      .optional()
      .describe(
        "How often every secret rotates: WEEKLY, MONTHLY (the first week of each month, about every 30 days) or QUARTERLY. ActiveMQ rotates inside the broker's maintenance window (its reboot), RabbitMQ 12 hours after the window starts. Default: MONTHLY.",
      ),
  })
  .describe('Credential rotation of every secret, alternating users for application credentials (see docs/rotation.md). Default: monthly.');

export const AlarmSettingsSchema = z
  .strictObject({
    queueDepth: z
      .number()
      .int()
      .optional()
      .describe(
        "Alarm when any queue (or a named queue without its own maxDepth) holds more messages than this; on RabbitMQ 4.x, the broker's ready messages. Default: 1000.",
      ),
    unacknowledgedMessages: z
      .number()
      .int()
      .optional()
      .describe('RabbitMQ 4.x: alarm when the broker has more unacknowledged messages than this. Default: 1000.'),
    cpuPercent: z.number().optional().describe('Alarm when CPU is above this percent. Default: 85.'),
    memoryPercent: z
      .number()
      .optional()
      .describe('Alarm when ActiveMQ heap, or RabbitMQ memory used against its limit, is above this percent. Default: 80.'),
    storagePercent: z
      .number()
      .optional()
      .describe('ActiveMQ: alarm when the message store is above this percent (at 100 producers are refused). Default: 80.'),
    diskFreeLimitFactor: z
      .number()
      .optional()
      .describe(
        'RabbitMQ: alarm when free disk falls below this many times its limit (below the limit publishers are blocked). Default: 2.',
      ),
    connectionsPercent: z
      .number()
      .optional()
      .describe(
        "Alarm when connections reach this percent of the limit the broker enforces (ActiveMQ: the instance type's per protocol; RabbitMQ: one node's connection_max, configured or Amazon MQ's default); RabbitMQ channels, queues and exchanges alarm at the same percent of their limits. Default: 80.",
      ),
    periodMinutes: z.number().int().optional().describe('Alarm period in minutes: 1, 5, 10, 15, 30 or 60. Default: 5.'),
    evaluationPeriods: z.number().int().optional().describe('Periods an alarm looks at. Default: 3.'),
    datapointsToAlarm: z
      .number()
      .int()
      .optional()
      .describe('Breaching periods among evaluationPeriods that raise the alarm. Default: evaluationPeriods.'),
  })
  .describe("Alarm thresholds and timing; unset fields take the environment's monitoring.alarms, then the defaults.");

export const QueueSchema = z
  .strictObject({
    name: z.string().describe('Queue name as the broker reports it, for example "orders.created".'),
    virtualHost: z.string().optional().describe('RabbitMQ only: virtual host of the queue. Default: "/".'),
    maxDepth: z
      .number()
      .int()
      .optional()
      .describe('Alarm when this queue holds more messages than this. Default: the queueDepth alarm setting (1000).'),
    alarmWithoutConsumers: z.boolean().optional().describe('Alarm when this queue has no consumer. Default: true.'),
  })
  .describe('A named queue with its own depth and no-consumer alarms (not on RabbitMQ 4.x, which publishes no queue metrics).');

export const DeadLetterQueueSchema = z
  .strictObject({
    name: z.string().describe('Dead-letter queue name, for example "ActiveMQ.DLQ" or "orders.dlq".'),
    virtualHost: z.string().optional().describe('RabbitMQ only: virtual host of the queue. Default: "/".'),
  })
  .describe('A dead-letter queue: alarm as soon as it is not empty.');

export const SubscriptionSchema = z
  .strictObject({
    protocol: z.enum(['email', 'https']).describe('How the alarm topic delivers: "email" or "https".'),
    endpoint: z.string().describe('An email address, or an https:// URL.'),
  })
  .describe("A subscription to the environment's alarm topic.");

export const MonitoringSchema = z
  .strictObject({
    alarms: AlarmSettingsSchema.optional(),
    subscriptions: z
      .array(SubscriptionSchema)
      .optional()
      .describe('Who the alarm topic notifies. Default: none (subscribe later, or use alarmTopicArns).'),
    alarmTopicArns: z
      .array(z.string())
      .optional()
      .describe('Existing SNS topics (for example an on-call or chat topic) that also get every alarm and OK notification. Default: none.'),
    dashboard: z.boolean().optional().describe("Create the environment's CloudWatch dashboard. Default: true."),
  })
  .describe('Alarms, alarm topic and dashboard. Default: every alarm on, default thresholds, no subscriptions, a dashboard.');

export const BrokerSchema = z
  .strictObject({
    name: z.string().describe('Short broker name, unique in the environment; the Amazon MQ name is "<name>-<environment>".'),
    engine: z.enum(ENGINES).describe('Broker engine.'),
    engineVersion: z.string().describe('Engine version, major.minor only (for example "5.18" or "3.13").'),
    deploymentMode: z
      .enum(DEPLOYMENT_MODES)
      .describe('SINGLE_INSTANCE, ACTIVE_STANDBY_MULTI_AZ (ActiveMQ) or CLUSTER_MULTI_AZ (RabbitMQ).'),
    instanceType: z.string().describe('Broker instance type, for example "mq.m7g.large".'),
    storageType: z
      .enum(STORAGE_TYPES)
      .optional()
      .describe(
        'Broker storage. Default: EFS for ActiveMQ (every instance type and mode supports it), EBS for RabbitMQ (its only option).',
      ),
    maintenanceWindow: MaintenanceWindowSchema.optional(),
    logs: LogsSchema.optional(),
    protocols: z
      .array(z.enum(PROTOCOLS))
      .optional()
      .describe('Protocols opened to the clients. Default: ActiveMQ OPENWIRE, STOMP, AMQP; RabbitMQ AMQP.'),
    clients: z.array(ClientSchema).describe('Named clients allowed to connect. Default: none (no ingress).').optional(),
    administrator: AdministratorSchema.optional(),
    authentication: AuthenticationSchema.optional(),
    users: z
      .array(UserSchema)
      .default([])
      .describe(
        'Application credentials, each an alternating pair of broker users. ActiveMQ: 1 to 125 (250 broker users); none with LDAP authentication. RabbitMQ: any number, also none (users created through the management API). Default: none.',
      ),
    rotation: BrokerRotationSchema.optional(),
    tags: tags.optional(),
    queues: z
      .array(QueueSchema)
      .optional()
      .describe('Named queues with their own alarms. Default: none (the any-queue depth alarm still covers every queue).'),
    deadLetterQueues: z
      .array(DeadLetterQueueSchema)
      .optional()
      .describe('Dead-letter queues to alarm on when not empty. Default: ActiveMQ [{ "name": "ActiveMQ.DLQ" }]; RabbitMQ none.'),
    alarms: AlarmSettingsSchema.optional(),
    consumers: ConsumersSchema,
    definitions: DefinitionsSchema.optional(),
    configuration: BrokerConfigurationSchema.optional(),
    replica: ReplicaSchema.optional(),
  })
  .describe('An Amazon MQ broker.');

export const AllowReplacementSchema = z
  .strictObject({
    broker: z
      .string()
      .optional()
      .describe(
        'Short name of a broker of this environment (as in brokers[].name): its broker, key and secrets may be replaced or removed.',
      ),
    logicalId: z
      .string()
      .optional()
      .describe('Logical id of another resource (a key, a secret, a subnet of the network stack), as the review names it.'),
    property: z
      .string()
      .optional()
      .describe(
        'The property whose change it allows (for example "DeploymentMode" or "GenerateSecretString"), or "removal" for a removed resource, as the review names it. Default: every guarded change of that one resource.',
      ),
    reason: z
      .string()
      .describe('Why losing the resource (or locking its clients out) is acceptable; shown in the review. At least 10 characters.'),
  })
  .describe(
    'Allows one change that replaces, removes or locks clients out of ONE resource of a protected environment: exactly one of broker (its broker resource) or logicalId.',
  );

export const UnlockSchema = z
  .strictObject({
    change: z
      .enum(['protection', 'environment-name', 'snapshots'])
      .describe(
        'What may disarm the protected environment: "protection" (protected true → false), "environment-name" (a rename), "snapshots" (its test/snapshots folder removed).',
      ),
    reason: z.string().describe('Why this environment may lose its protection; shown in the review. At least 10 characters.'),
  })
  .describe('Unlocks one change that lowers the protection of an environment whose committed baseline is protected.');

export const AcknowledgeSchema = z
  .strictObject({
    rule: z.string().describe('The finding\'s rule as synth names it, for example "AmazonMQ-MQ.6".'),
    path: z.string().describe('The config field that causes the finding, as synth names it, for example "brokers[1].deploymentMode".'),
    reason: z.string().describe('Why the finding is acceptable here; at least 10 characters, shown in the compliance report.'),
  })
  .describe('Accepts one compliance finding caused by one config field, with a reason.');

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path to config/schema.json, for editor completion.'),
    environment: z.string().describe('Environment name, for example "dev" or "prod": lower case letters, digits and dashes.'),
    region: z.string().describe('AWS region of the environment, for example "eu-west-1".'),
    account: z
      .string()
      .optional()
      .describe('AWS account id (12 digits) to pin the stacks to. Default: the account of the deploying credentials.'),
    protected: z.boolean().optional().describe('A production environment: termination protection on every stack. Default: false.'),
    allowReplacement: z
      .array(AllowReplacementSchema)
      .optional()
      .describe(
        'Protected environments only: replacements or removals of stateful resources that synth may let through, each with a reason. Remove an entry once the change is deployed. Default: none.',
      ),
    unlock: z
      .array(UnlockSchema)
      .optional()
      .describe(
        'Changes that lower the protection of an environment whose committed snapshots are protected, each with a reason; synth refuses them otherwise. Remove an entry once the change is deployed. Default: none.',
      ),
    tags: tags.optional(),
    compliance: z
      .strictObject({
        requiredTagKeys: z
          .array(z.string())
          .optional()
          .describe(
            'Tag keys every broker must carry (Security Hub MQ.4), from the environment or broker tags. Default: at least one tag.',
          ),
        acknowledge: z
          .array(AcknowledgeSchema)
          .optional()
          .describe(
            'Compliance findings this environment accepts, each for the config field that causes it and with a reason (shown in the compliance report). Default: none.',
          ),
      })
      .optional()
      .describe('Compliance settings of the Amazon MQ rule pack.'),
    network: z.discriminatedUnion('mode', [createdVpc, importedVpc]).describe('Where the brokers live.'),
    rotation: RotationSchema.optional(),
    brokers: z.array(BrokerSchema).describe('The brokers of the environment.'),
    monitoring: MonitoringSchema.optional(),
  })
  .describe('One mq-platform environment.');

export type MqPlatformConfigInput = z.input<typeof ConfigSchema>;
export type MqPlatformConfig = z.output<typeof ConfigSchema>;
export type BrokerConfig = z.output<typeof BrokerSchema>;
export type ClientConfig = z.output<typeof ClientSchema>;
export type UserConfig = z.output<typeof UserSchema>;
export type AdministratorConfig = z.output<typeof AdministratorSchema>;
export type PermissionConfig = z.output<typeof PermissionSchema>;
export type NetworkConfig = MqPlatformConfig['network'];
export type AllowReplacementConfig = z.output<typeof AllowReplacementSchema>;
export type AcknowledgeConfig = z.output<typeof AcknowledgeSchema>;
export type UnlockConfig = z.output<typeof UnlockSchema>;
export type AlarmSettingsConfig = z.output<typeof AlarmSettingsSchema>;
export type QueueConfig = z.output<typeof QueueSchema>;
export type MonitoringConfig = z.output<typeof MonitoringSchema>;

/** JSON Schema of the config file, as written to config/schema.json. */
export function configJsonSchema(): object {
  return z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-7' });
}
