import type { Engine, Protocol } from './engines';

/**
 * What AWS Lambda accepts and does when it consumes Amazon MQ queues through an event source
 * mapping. Imports nothing from lib/ but ./engines.
 */

const LAMBDA = 'https://docs.aws.amazon.com/lambda/latest/dg';
export const LAMBDA_CONSUMER_SOURCES = {
  /** CreateEventSourceMapping: FunctionName, BatchSize, MaximumBatchingWindowInSeconds, Queues. */
  api: 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html',
  /** The parameters that apply to Amazon MQ: BASIC_AUTH for both engines, VIRTUAL_HOST for RabbitMQ. */
  params: `${LAMBDA}/services-mq-params.html`,
  /** Restrictions (cross account, authentication, protocols) and the execution role's permissions. */
  withMq: `${LAMBDA}/with-mq.html`,
  /** Network: the poller's interfaces in the broker's subnets and security groups; Lambda, STS, Secrets Manager endpoints. */
  network: `${LAMBDA}/process-mq-messages-with-lambda.html`,
} as const;

/** BatchSize for Amazon MQ: "Default 100. Max 10,000" (api, params). */
export const LAMBDA_BATCH_SIZE = { min: 1, max: 10_000, default: 100 } as const;

/** MaximumBatchingWindowInSeconds: 0 to 300 seconds; Amazon MQ's default is 500 ms (api). */
export const LAMBDA_BATCHING_WINDOW_SECONDS = { min: 0, max: 300 } as const;

/** Queues: one queue name of 1 to 1000 characters (api). */
export const LAMBDA_QUEUE_NAME_MAX = 1000;

/**
 * The protocol Lambda consumes with (withMq, "Protocols"): OpenWire for ActiveMQ, AMQP 0-9-1 for
 * RabbitMQ; the mapping's traffic to the broker is on that protocol's TLS port.
 */
export const LAMBDA_CONSUMER_PROTOCOL: Record<Engine, Protocol> = { ACTIVEMQ: 'OPENWIRE', RABBITMQ: 'AMQP' };

/**
 * What the execution role needs for an Amazon MQ event source (withMq, "Execution role
 * permissions"), besides the function's own logging: mq:DescribeBroker, secretsmanager:GetSecretValue,
 * the network-interface actions, and kms:Decrypt for a secret under a customer managed key.
 */
export const LAMBDA_CONSUMER_ROLE_ACTIONS = {
  broker: ['mq:DescribeBroker'],
  secret: ['secretsmanager:GetSecretValue'],
  key: ['kms:Decrypt'],
  /** EC2 authorizes the Describe* actions on "*" only. */
  describeNetwork: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
  createNetworkInterface: ['ec2:CreateNetworkInterface'],
  deleteNetworkInterface: ['ec2:DeleteNetworkInterface'],
} as const;
