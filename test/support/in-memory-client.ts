import { Endpoint, formatEndpoint } from '../../lib/client/endpoint';
import { MqPlatformError } from '../../lib/client/errors';
import {
  ConsumeOptions,
  Engine,
  MessageHandler,
  MessagingClient,
  MessagingClientOptions,
  PublishOptions,
  Session,
} from '../../lib/client/messaging-client';

/** A broker in memory: queues of messages, with ack/nack and redelivery. */
export class InMemorySession implements Session {
  readonly server = 'InMemory/1.0';
  private lost?: (err: Error) => void;
  private readonly consumers = new Map<string, MessageHandler>();
  readonly published: { queue: string; body: Buffer; options: PublishOptions }[] = [];
  closed = false;

  constructor(readonly endpoint: string) {}

  async publish(queue: string, body: Buffer, options: PublishOptions): Promise<void> {
    this.published.push({ queue, body, options });
    const h = this.consumers.get(queue);
    if (h)
      setImmediate(
        () => void h({ body, headers: options.headers ?? {}, redelivered: false, ack: async () => undefined, nack: async () => undefined }),
      );
  }

  async consume(queue: string, handler: MessageHandler, _options: ConsumeOptions): Promise<() => Promise<void>> {
    this.consumers.set(queue, handler);
    return async () => {
      this.consumers.delete(queue);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  destroy(): void {
    this.closed = true;
  }

  onLost(cb: (err: Error) => void): void {
    this.lost = cb;
  }

  /** Simulates the broker going away. */
  drop(): void {
    this.lost?.(new MqPlatformError('network', `lost ${this.endpoint}`));
  }
}

/** A MessagingClient whose endpoints are scripted: `down` endpoints refuse, `authFail` ones reject the login. */
export class InMemoryClient extends MessagingClient {
  readonly engine: Engine;
  readonly sessions: InMemorySession[] = [];
  readonly attempts: string[] = [];
  down = new Set<string>();
  authFail = new Set<string>();

  constructor(engine: Engine, options: MessagingClientOptions) {
    super(options);
    this.engine = engine;
  }

  protected async openSession(ep: Endpoint): Promise<Session> {
    const url = formatEndpoint(ep);
    this.attempts.push(url);
    if (this.authFail.has(url)) throw new MqPlatformError('auth', `${url} rejected the credentials`);
    if (this.down.has(url)) throw new MqPlatformError('network', `cannot reach ${url} (ECONNREFUSED)`);
    const s = new InMemorySession(url);
    this.sessions.push(s);
    return s;
  }
}
