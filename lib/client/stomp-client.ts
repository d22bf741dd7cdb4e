import { Endpoint } from './endpoint';
import { MqPlatformError } from './errors';
import { ConsumeOptions, Engine, MessageHandler, MessagingClient, PublishOptions, Session } from './messaging-client';
import { StompConnection } from './stomp-connection';

function destination(queue: string, temporary?: boolean): string {
  return `${temporary ? '/temp-queue/' : '/queue/'}${queue}`;
}

/** ActiveMQ over STOMP 1.2 + TLS, with failover across the instances of an active/standby broker. */
export class StompMessagingClient extends MessagingClient {
  public readonly engine: Engine = 'ACTIVEMQ';

  protected async openSession(ep: Endpoint): Promise<Session> {
    if (ep.protocol !== 'stomp+ssl' && ep.protocol !== 'stomp+tls') {
      throw new MqPlatformError('usage', `ActiveMQ client needs stomp+ssl:// endpoints, got ${ep.protocol}://`);
    }
    const conn = await StompConnection.connect({
      host: ep.host,
      port: ep.port,
      login: this.credentials.username,
      passcode: this.credentials.password,
      ca: this.options.ca,
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    return new StompSession(conn);
  }
}

class StompSession implements Session {
  constructor(private readonly conn: StompConnection) {}

  get server(): string | undefined {
    return this.conn.server;
  }

  async publish(queue: string, body: Buffer, options: PublishOptions): Promise<void> {
    await this.conn.send(destination(queue, options.temporary), body, {
      ...(options.headers ?? {}),
      persistent: String(options.persistent ?? true),
      'content-type': 'application/octet-stream',
    });
  }

  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<() => Promise<void>> {
    const id = await this.conn.subscribe(
      destination(queue, options.temporary),
      (m) => {
        void Promise.resolve(
          handler({
            body: m.body,
            headers: m.headers,
            redelivered: m.redelivered,
            ack: () => this.conn.ack(m),
            nack: () => this.conn.nack(m),
          }),
        ).catch(() => undefined);
      },
      { ack: 'client-individual', headers: { 'activemq.prefetchSize': String(options.prefetch ?? 1) } },
    );
    return () => this.conn.unsubscribe(id);
  }

  close(): Promise<void> {
    return this.conn.disconnect();
  }

  destroy(): void {
    this.conn.destroy();
  }

  onLost(cb: (err: Error) => void): void {
    this.conn.on('close', (err?: Error) => {
      if (err) cb(err);
    });
  }
}
