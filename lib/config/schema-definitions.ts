import { z } from 'zod';
import { EXCHANGE_TYPES, POLICY_APPLY_TO, QUEUE_TYPES } from '../rabbitmq/definitions';

/**
 * RabbitMQ definitions of a broker (issue 11): what lives inside the broker, applied through the
 * management API by the platform's custom resource as the administrator, and compared by
 * `mq-platform drift`. Rules: lib/config/rules/definitions-rules.ts.
 */

const vhost = z.string().optional().describe('Virtual host. Default: "/".');
const argumentValue = z.union([z.string(), z.number(), z.boolean()]);
const args = (what: string) =>
  z
    .record(z.string(), argumentValue)
    .optional()
    .describe(`Optional ${what} arguments (x-arguments), for example { "x-max-length": 10000 }. Default: none.`);

export const DefinitionVhostSchema = z
  .strictObject({
    name: z.string().describe('Virtual host name, for example "orders" (letters, digits, "-", "_", ".", ":" and "/" advised).'),
  })
  .describe('A virtual host created by the platform; "/" exists on every broker and needs no entry.');

export const DefinitionExchangeSchema = z
  .strictObject({
    name: z.string().describe('Exchange name, for example "orders"; never "" or "amq.*" (the broker\'s own).'),
    vhost,
    type: z.enum(EXCHANGE_TYPES).describe('Exchange type: direct, fanout, topic or headers.'),
    internal: z.boolean().optional().describe('Only other exchanges may publish to it. Default: false.'),
    arguments: args('exchange').describe(
      'Optional exchange arguments, for example { "alternate-exchange": "orders.unrouted" } (an exchange declared in the same vhost). Default: none.',
    ),
  })
  .describe('A durable exchange (never auto-deleted). Its type, internal flag and arguments cannot change in place.');

export const DefinitionQueueSchema = z
  .strictObject({
    name: z.string().describe('Queue name, for example "orders.created"; up to 255 bytes, never "amq.*".'),
    vhost,
    type: z
      .enum(QUEUE_TYPES)
      .optional()
      .describe('Queue type. Default: "quorum" on CLUSTER_MULTI_AZ brokers and on RabbitMQ 4.x (Amazon MQ\'s default), else "classic".'),
    durable: z
      .boolean()
      .optional()
      .describe('Survives a broker restart. Default: true. false only for classic queues before RabbitMQ 4.x.'),
    arguments: args('queue'),
    deleteWithMessages: z
      .boolean()
      .optional()
      .describe(
        'When this queue is later removed from the config, delete it even if it holds messages (they are lost). Takes effect from the deploy that sets it. Default: false (a removed queue that holds messages is kept on the broker and reported).',
      ),
  })
  .describe('A queue. Its type, durability and arguments cannot change in place (use a policy for what may change).');

export const DefinitionBindingSchema = z
  .strictObject({
    vhost,
    source: z.string().describe('Exchange the messages come from; declared in exchanges (same vhost).'),
    destination: z.string().describe('Queue (or exchange) the messages go to; declared in queues or exchanges (same vhost).'),
    destinationType: z.enum(['queue', 'exchange']).optional().describe('Default: "queue".'),
    routingKey: z.string().optional().describe('Routing (binding) key. Default: "".'),
    arguments: args('binding').describe(
      'Optional binding arguments; from a headers exchange, "x-match" is all, any, all-with-x or any-with-x. Default: none.',
    ),
  })
  .describe('A binding from an exchange to a queue or exchange.');

export const DefinitionPolicyDefinitionSchema = z
  .strictObject({
    'dead-letter-exchange': z.string().optional().describe('Exchange that gets rejected, expired and dropped messages.'),
    'dead-letter-routing-key': z.string().optional().describe('Routing key of dead-lettered messages. Default: their own.'),
    'dead-letter-strategy': z.enum(['at-most-once', 'at-least-once']).optional().describe('Quorum queues only. Default: at-most-once.'),
    'max-length': z.number().int().optional().describe('Most ready messages in a queue.'),
    'max-length-bytes': z.number().int().optional().describe('Most bytes of ready message bodies in a queue.'),
    overflow: z
      .enum(['drop-head', 'reject-publish', 'reject-publish-dlx'])
      .optional()
      .describe('What a full queue does. Default: drop-head. reject-publish-dlx: classic queues only.'),
    'message-ttl': z.number().int().optional().describe('Milliseconds a message may wait in a queue.'),
    expires: z.number().int().optional().describe('Milliseconds an unused queue lives.'),
    'delivery-limit': z.number().int().optional().describe('Quorum queues: deliveries before a message is dead-lettered (or dropped).'),
    'queue-mode': z.string().optional().describe('Classic queues before 3.12 only; not on quorum queues.'),
    'ha-mode': z.string().optional().describe('Classic mirrored queues: RabbitMQ 3.x only, never with quorum queues.'),
    'ha-params': z
      .union([z.number(), z.string(), z.array(z.string())])
      .optional()
      .describe('Classic mirrored queues: RabbitMQ 3.x only.'),
    'ha-sync-mode': z.string().optional().describe('Classic mirrored queues: RabbitMQ 3.x only.'),
  })
  .describe('What the policy sets (RabbitMQ policy keys).');

export const DefinitionPolicySchema = z
  .strictObject({
    name: z.string().describe('Policy name, for example "orders-dlx"; never "AWS-DEFAULT*" (Amazon MQ\'s own).'),
    vhost,
    pattern: z.string().describe('Regular expression of the queue (or exchange) names it applies to, for example "^orders\\\\.".'),
    applyTo: z
      .enum(POLICY_APPLY_TO)
      .optional()
      .describe('What it applies to. Default: "queues". classic_queues, quorum_queues and streams need RabbitMQ 3.12 or later.'),
    priority: z.number().int().optional().describe('The highest priority of the matching policies wins. Default: 0.'),
    definition: DefinitionPolicyDefinitionSchema,
  })
  .describe('A policy: dead-lettering, max-length, message TTL, delivery limit; updated in place.');

export const DefinitionLimitsSchema = z
  .strictObject({
    vhost: z.string().describe('Virtual host the limits apply to.'),
    maxConnections: z
      .number()
      .int()
      .optional()
      .describe('Most client connections to the virtual host; 0 refuses every one. Default: no limit.'),
    maxQueues: z.number().int().optional().describe('Most queues in the virtual host; 0 refuses every one. Default: no limit.'),
  })
  .describe('Per-vhost limits, updated in place.');

export const DefinitionsSchema = z
  .strictObject({
    vhosts: z.array(DefinitionVhostSchema).optional().describe('Virtual hosts. Default: none (only "/").'),
    exchanges: z.array(DefinitionExchangeSchema).optional().describe('Exchanges. Default: none.'),
    queues: z.array(DefinitionQueueSchema).optional().describe('Queues. Default: none.'),
    bindings: z.array(DefinitionBindingSchema).optional().describe('Bindings. Default: none.'),
    policies: z.array(DefinitionPolicySchema).optional().describe('Policies. Default: none.'),
    limits: z.array(DefinitionLimitsSchema).optional().describe('Per-vhost limits. Default: none.'),
  })
  .describe(
    'RabbitMQ only: vhosts, exchanges, queues, bindings, policies and vhost limits, applied by the platform as the administrator on every deploy (idempotent; deletes only what it created; never a queue holding messages unless deleteWithMessages). Check with `mq-platform drift --env <name>`.',
  );

export type DefinitionsConfig = z.output<typeof DefinitionsSchema>;
