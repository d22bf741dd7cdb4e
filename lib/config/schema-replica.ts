import { z } from 'zod';
import { PROTOCOLS } from '../amazonmq/engines';

/**
 * `brokers[].replica`: an ActiveMQ broker's cross-Region data replication (CRDR) replica in another
 * Region (lib/config/rules/replica-rules.ts checks it; lib/stacks/replica-stacks.ts builds it).
 */
export const ReplicaClientSchema = z
  .strictObject({
    name: z.string().describe('Who this client is, for example "orders-service-dr".'),
    cidr: z.string().optional().describe('IPv4 CIDR the client connects from in the replica Region. Never 0.0.0.0/0.'),
    securityGroupId: z.string().optional().describe('Security group id of the client in the replica Region.'),
    protocols: z.array(z.enum(PROTOCOLS)).optional().describe("Protocols this client may use. Default: all of the broker's protocols."),
  })
  .describe('A client allowed to reach the replica broker once it is promoted: exactly one of cidr or securityGroupId.');

export const ReplicaSchema = z
  .strictObject({
    region: z
      .string()
      .describe('AWS Region of the replica broker, other than the environment\'s, for example "us-west-2" (CRDR Regions only).'),
    availabilityZones: z
      .array(z.string())
      .describe('Availability zones of the replica Region for its network, named explicitly so that synth needs no lookup (2 or 3).'),
    network: z
      .strictObject({
        cidr: z.string().describe('IPv4 CIDR of the replica VPC, for example "10.31.0.0/16"; must not overlap the primary VPC.'),
        subnetCidrMask: z.number().int().optional().describe('Prefix length of each private subnet. Default: 24.'),
        flowLogRetentionDays: z.number().int().optional().describe('Days to keep the replica VPC flow logs. Default: 365.'),
      })
      .describe("The replica Region's network: a new VPC with private isolated subnets."),
    clients: z
      .array(ReplicaClientSchema)
      .optional()
      .describe("Clients allowed to reach the replica broker once promoted. Default: the primary broker's clients."),
    replicationUsername: z
      .string()
      .optional()
      .describe(
        'The data replication user both brokers share ("Data replication user to bridge access between brokers"); its password is generated once and replicated to the replica Region. Default: "crdr-replication".',
      ),
  })
  .describe(
    'ActiveMQ only: a cross-Region data replication (CRDR) replica of this broker in another Region, promoted with `mq-platform promote`.',
  );

export type ReplicaConfig = z.output<typeof ReplicaSchema>;

/** Username of the data replication user when the config names none. */
export const DEFAULT_REPLICATION_USERNAME = 'crdr-replication';
