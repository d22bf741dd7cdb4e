import { EventEmitter } from 'node:events';
import * as tls from 'node:tls';
import { MqPlatformError, classifySocketError } from './errors';
import { StompFrame, StompFrameParser, encodeFrame } from './stomp-frame';

/** Options of one STOMP 1.2 connection over TLS. */
export interface StompConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly login: string;
  readonly passcode: string;
  /** Virtual host sent in the `host` header. @default the connection host */
  readonly virtualHost?: string;
  /** Extra CA certificates (PEM), e.g. a private test CA. @default node's bundled CAs */
  readonly ca?: string | Buffer;
  /** TLS server name (SNI). @default the host, unless it is an IP address */
  readonly servername?: string;
  /** Time allowed for TCP + TLS + CONNECTED. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Time allowed for a RECEIPT. @default 10000 */
  readonly receiptTimeoutMs?: number;
}

/** A MESSAGE frame delivered to a subscription. */
export interface StompMessage {
  readonly destination: string;
  readonly messageId: string;
  /** The `ack` header to send back in ACK/NACK (STOMP 1.2). */
  readonly ackId: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** True when the broker marks the message as a redelivery (ActiveMQ `redelivered` header). */
  readonly redelivered: boolean;
}

/** Options of a subscription. */
export interface StompSubscribeOptions {
  /** Ack mode. @default 'client-individual' */
  readonly ack?: 'auto' | 'client' | 'client-individual';
  /** Extra SUBSCRIBE headers, e.g. `activemq.prefetchSize`. @default none */
  readonly headers?: Record<string, string>;
}

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A minimal STOMP 1.2 client over node's `tls`: CONNECT, SEND and SUBSCRIBE with receipts,
 * ACK/NACK, DISCONNECT. Heart-beats are off (0,0); TCP keep-alive detects dead peers instead.
 * Emits `close` (with an error when the connection was lost rather than closed by us).
 */
export class StompConnection extends EventEmitter {
  /** Connects and waits for CONNECTED; rejects with a classified MqPlatformError. */
  static connect(options: StompConnectionOptions): Promise<StompConnection> {
    return new StompConnection(options).open();
  }

  /** `server` header of CONNECTED, e.g. `ActiveMQ/5.17.2`. */
  public server?: string;
  /** `session` header of CONNECTED. */
  public session?: string;

  private socket?: tls.TLSSocket;
  private readonly parser = new StompFrameParser();
  private readonly pending = new Map<string, Pending>();
  private readonly subscriptions = new Map<string, (m: StompMessage) => void>();
  private nextId = 1;
  private closing = false;
  private closed = false;
  private readonly where: string;

  private constructor(private readonly options: StompConnectionOptions) {
    super();
    this.where = `stomp+ssl://${options.host}:${options.port}`;
  }

  /** Endpoint this connection talks to, `stomp+ssl://host:port`. */
  get endpoint(): string {
    return this.where;
  }

  private open(): Promise<StompConnection> {
    const o = this.options;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (e: MqPlatformError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.closed = true;
        socket.destroy();
        reject(e);
      };
      const timer = setTimeout(
        () =>
          fail(
            new MqPlatformError('timeout', `timed out connecting to ${this.where}`, {
              hint: 'check security groups, routing and that the broker is running',
            }),
          ),
        o.connectTimeoutMs ?? 10000,
      );
      const isIp = /^[\d.]+$|:/.test(o.host);
      const socket = tls.connect({
        host: o.host,
        port: o.port,
        ca: o.ca,
        servername: o.servername ?? (isIp ? undefined : o.host),
      });
      this.socket = socket;
      socket.setKeepAlive(true, 30000);
      socket.once('secureConnect', () => {
        socket.write(
          encodeFrame('CONNECT', {
            'accept-version': '1.2',
            host: o.virtualHost ?? o.host,
            login: o.login,
            passcode: o.passcode,
            'heart-beat': '0,0',
          }),
        );
      });
      socket.on('data', (chunk: Buffer) => {
        let frames: StompFrame[];
        try {
          frames = this.parser.push(chunk);
        } catch (e) {
          const err = new MqPlatformError('protocol', `${this.where}: ${(e as Error).message}`);
          if (!settled) fail(err);
          else this.teardown(err);
          return;
        }
        for (const f of frames) {
          if (!settled) {
            if (f.command === 'CONNECTED') {
              settled = true;
              clearTimeout(timer);
              this.server = f.headers.server;
              this.session = f.headers.session;
              resolve(this);
            } else if (f.command === 'ERROR') {
              fail(connectError(f, this.where));
            }
            continue;
          }
          this.onFrame(f);
        }
      });
      socket.on('error', (e) => {
        if (!settled) fail(classifySocketError(e, this.where));
        else this.teardown(classifySocketError(e, this.where));
      });
      socket.on('close', () => {
        if (!settled)
          fail(
            new MqPlatformError('network', `${this.where} closed the connection during CONNECT`, {
              hint: 'check the endpoint is a STOMP+TLS listener',
            }),
          );
        else this.teardown(this.closing ? undefined : new MqPlatformError('network', `lost connection to ${this.where}`));
      });
    });
  }

  /** Sends a message and waits for the broker's RECEIPT. */
  send(destination: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<void> {
    return this.withReceipt('SEND', { destination, ...headers }, body);
  }

  /** Subscribes and waits for the RECEIPT; returns the subscription id. */
  async subscribe(destination: string, onMessage: (m: StompMessage) => void, options: StompSubscribeOptions = {}): Promise<string> {
    const id = `sub-${this.nextId++}`;
    this.subscriptions.set(id, onMessage);
    try {
      await this.withReceipt('SUBSCRIBE', { ...(options.headers ?? {}), id, destination, ack: options.ack ?? 'client-individual' });
    } catch (e) {
      this.subscriptions.delete(id);
      throw e;
    }
    return id;
  }

  async unsubscribe(id: string): Promise<void> {
    await this.withReceipt('UNSUBSCRIBE', { id });
    this.subscriptions.delete(id);
  }

  /** Acknowledges one message (client-individual) and waits for the RECEIPT. */
  ack(message: StompMessage): Promise<void> {
    return this.withReceipt('ACK', { id: message.ackId });
  }

  /** Rejects one message so the broker redelivers or dead-letters it. */
  nack(message: StompMessage): Promise<void> {
    return this.withReceipt('NACK', { id: message.ackId });
  }

  /** Graceful DISCONNECT with receipt, then closes the socket. */
  async disconnect(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    try {
      await this.withReceipt('DISCONNECT', {});
    } catch {
      // The broker may close first; the socket is closed below either way.
    }
    this.socket?.end();
    this.teardown(undefined);
  }

  /** Drops the connection without DISCONNECT, as a crashed process would. */
  destroy(): void {
    this.closing = true;
    this.socket?.destroy();
    this.teardown(undefined);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private withReceipt(command: string, headers: Record<string, string>, body?: Buffer | string): Promise<void> {
    if (this.closed || !this.socket) {
      return Promise.reject(new MqPlatformError('network', `connection to ${this.where} is closed`));
    }
    const receipt = `r-${this.nextId++}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(receipt);
        reject(
          new MqPlatformError('timeout', `no receipt for ${command} from ${this.where}`, {
            hint: 'the broker may be overloaded or failing over; retry',
          }),
        );
      }, this.options.receiptTimeoutMs ?? 10000);
      this.pending.set(receipt, { resolve, reject, timer });
      this.socket!.write(encodeFrame(command, { ...headers, receipt }, body));
    });
  }

  private onFrame(f: StompFrame): void {
    if (f.command === 'RECEIPT') {
      const p = this.pending.get(f.headers['receipt-id']);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(f.headers['receipt-id']);
        p.resolve();
      }
    } else if (f.command === 'MESSAGE') {
      const handler = this.subscriptions.get(f.headers.subscription);
      if (!handler) return;
      handler({
        destination: f.headers.destination,
        messageId: f.headers['message-id'],
        ackId: f.headers.ack ?? f.headers['message-id'],
        headers: f.headers,
        body: f.body,
        redelivered: f.headers.redelivered === 'true',
      });
    } else if (f.command === 'ERROR') {
      const msg = f.headers.message ?? f.body.toString('utf8').split('\n')[0];
      const err = new MqPlatformError('protocol', `${this.where} reported: ${msg}`);
      const rid = f.headers['receipt-id'];
      const p = rid ? this.pending.get(rid) : undefined;
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(rid);
        p.reject(err);
      }
      // STOMP brokers close the connection after ERROR.
      this.teardown(err);
    }
  }

  private teardown(err: MqPlatformError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err ?? new MqPlatformError('network', `connection to ${this.where} closed`));
    }
    this.pending.clear();
    this.socket?.destroy();
    this.emit('close', err);
  }
}

function connectError(f: StompFrame, where: string): MqPlatformError {
  const msg = f.headers.message ?? f.body.toString('utf8').split('\n')[0];
  if (/password|user ?name|auth|credential|login|security/i.test(msg)) {
    return new MqPlatformError('auth', `${where} rejected the credentials`, {
      hint: 'check the username and the secret in Secrets Manager (rotated?)',
    });
  }
  return new MqPlatformError('protocol', `${where} refused CONNECT: ${msg}`);
}
