import { EventEmitter } from 'node:events';
import type { Engine } from '../amazonmq/engines';
import { BackoffOptions, backoffDelay, sleep } from './backoff';
import { Endpoint, formatEndpoint, parseEndpoint } from './endpoint';
import { MqPlatformError } from './errors';
import type { TokenSource } from './token-source';

export type { Engine };

/** Options common to both engines. */
export interface MessagingClientOptions {
  /** Endpoints tried in order on every (re)connect: for an active/standby ActiveMQ broker, both instances. */
  readonly endpoints: readonly string[];
  readonly username: string;
  /** Never logged; error messages never include it. */
  readonly password: string;
  /** Extra CA certificates (PEM), e.g. a private test CA. @default node's bundled CAs */
  readonly ca?: string | Buffer;
  /** Time allowed per connection attempt. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Backoff between rounds over the endpoints, for the first connect and for reconnects. @default see BackoffOptions */
  readonly backoff?: BackoffOptions;
  /** Reconnect, and re-create consumers, when an established connection is lost. @default true */
  readonly autoReconnect?: boolean;
  /**
   * Reads the credentials again, e.g. the secret's AWSCURRENT (see `secretCredentials`), when the
   * broker refuses the ones in use: after a rotation the current user or password may have changed.
   * The client retries with what it returns, re-reading once per round. @default none: a refusal is final
   */
  readonly refreshCredentials?: () => Promise<Credentials>;
  /**
   * Token authentication (RabbitMQ IAM or OAuth 2.0): the password is a token from this source.
   * Every (re)connect takes a token that is not about to expire; before the token in use expires,
   * a fresh one goes to the live connection (AMQP update-secret), or, where that fails, the
   * connection is reopened with it. `password` is then ignored.
   * @default none: the password is used as given
   */
  readonly tokenSource?: TokenSource;
}

/** A broker username and password. */
export interface Credentials {
  readonly username: string;
  /** Never logged; error messages never include it. */
  readonly password: string;
}

/** Options of publish. */
export interface PublishOptions {
  /** Persistent (delivery mode 2 / `persistent:true`) so the message survives a broker restart. @default true */
  readonly persistent?: boolean;
  /** Use a temporary queue that disappears with the connection (for checks). @default false */
  readonly temporary?: boolean;
  /** Application headers. @default none */
  readonly headers?: Record<string, string>;
}

/** Options of consume. */
export interface ConsumeOptions {
  /** Unacknowledged messages the broker may push at once. @default 1 */
  readonly prefetch?: number;
  /** Use a temporary queue that disappears with the connection (for checks). @default false */
  readonly temporary?: boolean;
}

/** A delivered message; it stays unacknowledged until `ack()`. */
export interface ReceivedMessage {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly redelivered: boolean;
  ack(): Promise<void>;
  /** Returns the message to the queue for redelivery. */
  nack(): Promise<void>;
}

export type MessageHandler = (message: ReceivedMessage) => void | Promise<void>;

/** Where the client is connected. */
export interface ConnectedEndpoint {
  readonly endpoint: string;
  /** Index into `endpoints`: for active/standby, which instance answered. */
  readonly index: number;
  /** Broker product/version as the broker reports it, when it does. */
  readonly server?: string;
}

/** One engine connection; the client replaces it on reconnect. */
export interface Session {
  readonly server?: string;
  publish(queue: string, body: Buffer, options: PublishOptions): Promise<void>;
  consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
  destroy(): void;
  /** Registers the callback for an unexpected connection loss. */
  onLost(cb: (err: Error) => void): void;
  /** Replaces the secret (token) of the live connection, where the protocol can. @default - cannot: the client reconnects */
  updateSecret?(secret: string): Promise<void>;
}

export interface Consumer {
  cancel(): Promise<void>;
}

interface ConsumerEntry {
  queue: string;
  handler: MessageHandler;
  options: ConsumeOptions;
  cancel?: () => Promise<void>;
}

/**
 * Connection to one broker with failover over its endpoints, backoff between rounds and
 * reconnect that re-creates consumers. Emits `disconnected` (Error), `reconnected` (ConnectedEndpoint),
 * `reconnect-failed` (Error).
 */
export abstract class MessagingClient extends EventEmitter {
  public abstract readonly engine: Engine;
  protected readonly endpoints: Endpoint[];
  private session?: Session;
  private connected?: ConnectedEndpoint;
  private reconnecting?: Promise<void>;
  private closed = false;
  private readonly consumers: ConsumerEntry[] = [];
  private tokenTimer?: NodeJS.Timeout;
  /** What openSession logs in with; replaced by `refreshCredentials` after a refusal. */
  protected credentials: Credentials;

  constructor(protected readonly options: MessagingClientOptions) {
    super();
    if (options.endpoints.length === 0) throw new MqPlatformError('usage', 'no endpoints given');
    this.endpoints = options.endpoints.map(parseEndpoint);
    this.credentials = { username: options.username, password: options.password };
  }

  protected abstract openSession(endpoint: Endpoint): Promise<Session>;

  /** The endpoint currently in use. */
  get current(): ConnectedEndpoint | undefined {
    return this.connected;
  }

  /** Connects to the first endpoint that answers, in order, with backoff between rounds. */
  async connect(): Promise<ConnectedEndpoint> {
    this.closed = false;
    await this.connectAny();
    return this.connected!;
  }

  /** Publishes to a queue and resolves once the broker has confirmed it (publisher confirm / receipt). */
  async publish(queue: string, body: Buffer | string, options: PublishOptions = {}): Promise<void> {
    const s = await this.activeSession();
    await s.publish(queue, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), options);
  }

  /** Consumes with manual acknowledgement; the consumer is re-created after a reconnect. */
  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions = {}): Promise<Consumer> {
    const s = await this.activeSession();
    const entry: ConsumerEntry = { queue, handler, options };
    entry.cancel = await s.consume(queue, handler, options);
    this.consumers.push(entry);
    return {
      cancel: async () => {
        const i = this.consumers.indexOf(entry);
        if (i >= 0) this.consumers.splice(i, 1);
        await entry.cancel?.().catch(() => undefined);
      },
    };
  }

  /** Closes gracefully; no reconnect afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTokenTimer();
    const s = this.session;
    this.session = undefined;
    this.connected = undefined;
    await s?.close();
  }

  /** Drops the connection without a goodbye, as a crashed process would (used by tests). */
  destroy(): void {
    this.closed = true;
    this.stopTokenTimer();
    this.session?.destroy();
    this.session = undefined;
  }

  private async activeSession(): Promise<Session> {
    if (this.reconnecting) await this.reconnecting;
    if (!this.session) throw new MqPlatformError('network', 'not connected', { hint: 'call connect() first' });
    return this.session;
  }

  private async connectAny(): Promise<void> {
    const maxAttempts = this.options.backoff?.maxAttempts ?? 5;
    let last: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(backoffDelay(attempt - 1, this.options.backoff));
      let retried = false;
      for (let index = 0; index < this.endpoints.length; index++) {
        if (this.closed) throw new MqPlatformError('network', 'client closed while connecting');
        const ep = this.endpoints[index];
        try {
          if (this.options.tokenSource) await this.takeToken(false);
          const session = await this.openSession(ep);
          this.session = session;
          this.connected = { endpoint: formatEndpoint(ep), index, server: session.server };
          session.onLost((err) => this.onLost(session, err));
          this.scheduleTokenRefresh(session);
          return;
        } catch (e) {
          if (e instanceof MqPlatformError && e.kind === 'auth' && this.options.tokenSource && !retried) {
            // The broker refused the token (expired, revoked keys?): try once more with a new one.
            last = e;
            retried = true;
            await this.takeToken(true);
            index--;
            continue;
          }
          if (e instanceof MqPlatformError && e.kind === 'auth' && this.options.refreshCredentials) {
            // Rotated? Read the credentials again: try them at once if they changed, else next round.
            last = e;
            if ((await this.refresh(e)) && !retried) {
              retried = true;
              index--;
              continue;
            }
            break;
          }
          // Wrong credentials or certificates do not heal by retrying.
          if (e instanceof MqPlatformError && (e.kind === 'auth' || e.kind === 'tls')) throw e;
          last = e;
        }
      }
    }
    if (last instanceof MqPlatformError && this.endpoints.length > 1) {
      throw new MqPlatformError(last.kind, `no endpoint answered after ${maxAttempts} rounds; last: ${last.message}`, {
        hint: last.hint,
        cause: last,
      });
    }
    throw last;
  }

  /** Re-reads the credentials; true when they differ from the refused ones. Emits `credentials-refreshed` (username). */
  private async refresh(refused: MqPlatformError): Promise<boolean> {
    let fresh: Credentials;
    try {
      fresh = await this.options.refreshCredentials!();
    } catch (e) {
      throw new MqPlatformError('auth', `${refused.message}; reading the credentials again failed: ${(e as Error).message}`, {
        hint: refused.hint,
        cause: e,
      });
    }
    const changed = fresh.username !== this.credentials.username || fresh.password !== this.credentials.password;
    this.credentials = { username: fresh.username, password: fresh.password };
    this.emit('credentials-refreshed', { username: fresh.username, changed });
    return changed;
  }

  /** Puts a token from the source into the credentials; `fresh` fetches a new one. */
  private async takeToken(fresh: boolean): Promise<void> {
    const source = this.options.tokenSource!;
    let token;
    try {
      token = fresh ? await source.refresh() : await source.get();
    } catch (e) {
      if (e instanceof MqPlatformError) throw e;
      throw new MqPlatformError('auth', `getting a token failed: ${(e as Error).message}`, { cause: e });
    }
    this.credentials = { username: this.options.username, password: token.token };
  }

  /**
   * Before the token in use expires: a fresh one to the live connection (update-secret); where
   * the session cannot take it or the broker refuses it, the connection is dropped and the
   * reconnect takes the fresh token. Emits `token-refreshed` ({ updatedInPlace }).
   */
  private scheduleTokenRefresh(session: Session): void {
    this.stopTokenTimer();
    const source = this.options.tokenSource;
    if (!source) return;
    const delay = source.msUntilRefresh();
    if (!Number.isFinite(delay)) return;
    this.tokenTimer = setTimeout(() => {
      void (async () => {
        if (session !== this.session || this.closed) return;
        try {
          await this.takeToken(true);
          if (!session.updateSecret) throw new MqPlatformError('protocol', 'this connection cannot take a new secret');
          await session.updateSecret(this.credentials.password);
          this.emit('token-refreshed', { updatedInPlace: true });
          if (session === this.session) this.scheduleTokenRefresh(session);
        } catch (e) {
          if (session !== this.session || this.closed) return;
          this.emit('token-refreshed', { updatedInPlace: false, error: e });
          session.destroy(); // onLost reconnects with the fresh token
          this.onLost(session, e instanceof Error ? e : new Error(String(e)));
        }
      })();
    }, delay);
    this.tokenTimer.unref();
  }

  private stopTokenTimer(): void {
    if (this.tokenTimer) clearTimeout(this.tokenTimer);
    this.tokenTimer = undefined;
  }

  private onLost(session: Session, err: Error): void {
    if (session !== this.session || this.closed) return;
    this.stopTokenTimer();
    this.session = undefined;
    this.connected = undefined;
    this.emit('disconnected', err);
    if (this.options.autoReconnect === false) return;
    this.reconnecting = (async () => {
      try {
        await this.connectAny();
        for (const c of this.consumers) c.cancel = await this.session!.consume(c.queue, c.handler, c.options);
        this.emit('reconnected', this.connected);
      } catch (e) {
        this.closed = true;
        this.emit('reconnect-failed', e);
      } finally {
        this.reconnecting = undefined;
      }
    })();
  }
}
