import type { MessagingClient, MessagingClientOptions } from '../../../lib/client';
import { nextMessage } from './helpers';

/** Makes a client of the engine under test (tracked for cleanup by the test file). */
export type ClientFactory = (overrides?: Partial<MessagingClientOptions>) => MessagingClient;

/**
 * Manual acknowledgement: a consumer that dies without acking leaves the message on the queue,
 * and the next consumer gets it again, marked as redelivered. Same contract on both engines.
 */
export async function expectRedeliveryAfterConsumerDies(client: ClientFactory, queue: string): Promise<void> {
  const producer = client();
  await producer.connect();
  await producer.publish(queue, 'hello');

  const doomed = client({ autoReconnect: false });
  await doomed.connect();
  const first = await nextMessage(doomed, queue);
  expect(first.message.body.toString()).toBe('hello');
  expect(first.message.redelivered).toBe(false);
  doomed.destroy(); // dies without acking

  const survivor = client();
  await survivor.connect();
  const again = await nextMessage(survivor, queue);
  expect(again.message.body.toString()).toBe('hello');
  expect(again.message.redelivered).toBe(true);
  await again.message.ack();
}

/** A persistent message on a durable queue is still there after the broker restarts. */
export async function expectPersistentMessageSurvivesRestart(
  client: ClientFactory,
  queue: string,
  restart: () => Promise<void>,
): Promise<void> {
  const producer = client();
  await producer.connect();
  await producer.publish(queue, 'kept', { persistent: true });
  await producer.close();

  await restart();

  const consumer = client();
  await consumer.connect();
  const got = await nextMessage(consumer, queue);
  expect(got.message.body.toString()).toBe('kept');
  await got.message.ack();
}
