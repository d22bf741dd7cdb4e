/**
 * Entry point of the credential rotation function (bundled by lib/constructs/rotation/bundle.ts).
 * Like bin/, this is a program's edge: it alone reads the environment the construct sets.
 */
import { createHandler, type MqPlatformFunctionEvent } from './factory';
import { BROKERS_ENV, type BrokerTarget } from './types';

let handle: ReturnType<typeof createHandler> | undefined;

export async function handler(event: MqPlatformFunctionEvent): Promise<unknown> {
  handle ??= createHandler({ brokers: JSON.parse(process.env[BROKERS_ENV] ?? '[]') as BrokerTarget[], env: process.env });
  return handle(event);
}
