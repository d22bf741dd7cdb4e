import { z } from 'zod';

/**
 * Lambda consumers of a broker's queues: one AWS Lambda event source mapping each (issue 17).
 * Shape only; the rules that need more than one field are in ./rules/consumer-rules.ts, the
 * resolution (defaults) in ./resolve-consumers.ts.
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/services-mq-params.html
 */
export const ConsumerSchema = z
  .strictObject({
    name: z
      .string()
      .describe('Short name of the consumer, unique on the broker: 1 to 64 letters, digits, "-" and "_" (construct ids and alarm names).'),
    functionName: z
      .string()
      .optional()
      .describe(
        'Name of an existing Lambda function of the same account and region, for example "orders-notifier" (1 to 64 letters, digits, "-" and "_"). Exactly one of functionName or functionArn.',
      ),
    functionArn: z
      .string()
      .optional()
      .describe(
        'ARN of an existing Lambda function of the same account and region, optionally with a version or alias, for example "arn:aws:lambda:eu-west-1:123456789012:function:orders-notifier:live". Exactly one of functionName or functionArn.',
      ),
    roleArn: z
      .string()
      .describe(
        'ARN of the function\'s execution role, for example "arn:aws:iam::123456789012:role/orders-notifier". Lambda reads the broker credential with it: the role becomes a reader of the user\'s secret and gets the statements an Amazon MQ event source needs, scoped to this broker and secret.',
      ),
    queue: z.string().describe('Queue to consume, for example "orders.created" (ActiveMQ: a queue, or a virtual topic\'s consumer queue).'),
    vhost: z.string().optional().describe('RabbitMQ only: virtual host of the queue. Default: "/".'),
    user: z
      .string()
      .describe(
        'Username of an application credential of this broker (users[].username): the mapping reads its secret, which the rotation keeps naming the valid user of the alternating pair. Never the RabbitMQ administrator.',
      ),
    batchSize: z.number().int().optional().describe('Most messages per invocation, 1 to 10000. Default: 100 (Lambda).'),
    maximumBatchingWindowSeconds: z
      .number()
      .int()
      .optional()
      .describe("Seconds Lambda gathers messages before it invokes the function, 0 to 300. Default: Lambda's 500 ms for Amazon MQ."),
    enabled: z.boolean().optional().describe('Whether Lambda polls the queue; false pauses consumption. Default: true.'),
  })
  .describe('A Lambda function that consumes one queue of this broker through an event source mapping.');

export const ConsumersSchema = z
  .array(ConsumerSchema)
  .optional()
  .describe(
    'Lambda functions consuming queues of this broker (event source mappings), each with its IAM statements, secret reader, security group rules and alarms. Default: none.',
  );

export type ConsumerConfig = z.output<typeof ConsumerSchema>;
