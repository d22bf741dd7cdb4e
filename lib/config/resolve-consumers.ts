import type { Engine } from '../amazonmq/engines';
import type { ConsumerConfig } from './schema-consumers';

/** RabbitMQ's default virtual host, which a consumer without `vhost` reads from. */
export const DEFAULT_CONSUMER_VHOST = '/';

/** A Lambda consumer with its defaults applied: what the stacks, the network and the alarms build from. */
export interface ResolvedConsumer {
  readonly name: string;
  /** The bare function name (the `FunctionName` dimension of its metrics). */
  readonly functionName: string;
  /** The ARN as given (with its version or alias), when the config names one. @default - built from the name */
  readonly functionArn?: string;
  readonly roleArn: string;
  readonly queue: string;
  /** RabbitMQ only: the queue's virtual host. */
  readonly virtualHost?: string;
  /** Username of the application credential whose secret the mapping reads. */
  readonly user: string;
  /** @default - Lambda's default (100) */
  readonly batchSize?: number;
  /** @default - Lambda's default for Amazon MQ (500 ms) */
  readonly maximumBatchingWindowSeconds?: number;
  readonly enabled: boolean;
}

/** The function name of a Lambda function ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`). */
export function functionNameOfArn(arn: string): string {
  return arn.split(':')[6] ?? '';
}

export function resolveConsumers(engine: Engine, consumers: readonly ConsumerConfig[] | undefined): ResolvedConsumer[] {
  return (consumers ?? []).map((c) => ({
    name: c.name,
    functionName: c.functionName ?? functionNameOfArn(c.functionArn ?? ''),
    ...(c.functionArn !== undefined ? { functionArn: c.functionArn } : {}),
    roleArn: c.roleArn,
    queue: c.queue,
    ...(engine === 'RABBITMQ' ? { virtualHost: c.vhost ?? DEFAULT_CONSUMER_VHOST } : {}),
    user: c.user,
    ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
    ...(c.maximumBatchingWindowSeconds !== undefined ? { maximumBatchingWindowSeconds: c.maximumBatchingWindowSeconds } : {}),
    enabled: c.enabled ?? true,
  }));
}
