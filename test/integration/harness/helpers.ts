import { MessagingClient, ReceivedMessage } from '../../../lib/client';

/** Waits for the next message on a queue; rejects after timeoutMs so a broken broker fails the test instead of hanging it. */
export function nextMessage(
  client: MessagingClient,
  queue: string,
  timeoutMs = 20000,
): Promise<{ message: ReceivedMessage; cancel: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    let cancel: (() => Promise<void>) | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      void cancel?.();
      reject(new Error(`no message on ${queue} within ${timeoutMs} ms`));
    }, timeoutMs);
    client
      .consume(queue, (message) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ message, cancel: () => cancel?.() ?? Promise.resolve() });
      })
      .then((c) => {
        cancel = () => c.cancel();
      })
      .catch((e) => {
        clearTimeout(timer);
        reject(e);
      });
  });
}

/** Waits for an event with a bound. */
export function once<T>(emitter: NodeJS.EventEmitter, event: string, timeoutMs = 60000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (v: T) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
