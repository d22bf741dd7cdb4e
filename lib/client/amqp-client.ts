import * as amqp from 'amqplib';
import { Endpoint } from './endpoint';
import { MqPlatformError, classifySocketError } from './errors';
import { ConsumeOptions, Engine, MessageHandler, MessagingClient, PublishOptions, Session } from './messaging-client';

/** RabbitMQ over AMQP 0-9-1 + TLS (amqplib), with publisher confirms and manual acks. */
export class AmqpMessagingClient extends MessagingClient {
  public readonly engine: Engine = 'RABBITMQ';

  protected async openSession(ep: Endpoint): Promise<Session> {
    if (ep.protocol !== 'amqps') {
      throw new MqPlatformError('usage', `RabbitMQ client needs amqps:// endpoints, got ${ep.protocol}://`);
    }
    const where = `amqps://${ep.host}:${ep.port}`;
    const isIp = /^[\d.]+$|:/.test(ep.host);
    let model: amqp.ChannelModel;
    try {
      // Object form keeps the password out of any URL that a library might log.
      model = await amqp.connect(
        {
          protocol: 'amqps',
          hostname: ep.host,
          port: ep.port,
          username: this.credentials.username,
          password: this.credentials.password,
          heartbeat: 30,
        },
        { ca: this.options.ca, servername: isIp ? undefined : ep.host, timeout: this.options.connectTimeoutMs ?? 10000 },
      );
    } catch (e) {
      throw classifyAmqpError(e, where);
    }
    // A broker that goes away while the channel opens emits 'error'; unheard, it would crash the process.
    model.on('error', () => undefined);
    try {
      const channel = await model.createConfirmChannel();
      return new AmqpSession(model, channel, where);
    } catch (e) {
      await model.close().catch(() => undefined);
      throw classifyAmqpError(e, where);
    }
  }
}

function classifyAmqpError(e: unknown, where: string): MqPlatformError {
  const msg = (e as Error)?.message ?? String(e);
  // A login without access to the virtual host (no permission, no token scope on it): RabbitMQ
  // answers connection.open with connection.close (530 NOT_ALLOWED), which amqplib reports bare.
  if (/Expected ConnectionOpenOk; got <ConnectionClose/.test(msg)) {
    return new MqPlatformError('auth', `${where} refused access to the virtual host`, {
      hint: "the user (or the token's scopes) has no permission on the virtual host, or it does not exist",
      cause: e,
    });
  }
  if (/ACCESS_REFUSED|403|authenticat|credentials|PLAIN login refused/i.test(msg)) {
    return new MqPlatformError('auth', `${where} rejected the credentials`, {
      hint: 'check the username and the secret in Secrets Manager (rotated?)',
      cause: e,
    });
  }
  if (/timeout|timed out/i.test(msg) && !(e as NodeJS.ErrnoException)?.code) {
    return new MqPlatformError('timeout', `timed out connecting to ${where}`, {
      hint: 'check security groups, routing and that the broker is running',
      cause: e,
    });
  }
  if (/Socket closed abruptly|Unexpected close/i.test(msg)) {
    return new MqPlatformError('network', `${where} closed the connection during the handshake`, {
      hint: 'check the endpoint is an AMQPS listener',
      cause: e,
    });
  }
  return classifySocketError(e, where);
}

class AmqpSession implements Session {
  private readonly declared = new Set<string>();
  private lostCb?: (err: Error) => void;
  private done = false;

  constructor(
    private readonly model: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
    private readonly where: string,
  ) {
    const lost = (err?: Error) => {
      if (this.done) return;
      this.done = true;
      this.lostCb?.(new MqPlatformError('network', `lost connection to ${this.where}${err ? `: ${err.message}` : ''}`));
    };
    // Errors arrive before close; swallow them here so they do not crash the process.
    model.on('error', () => undefined);
    channel.on('error', () => undefined);
    model.on('close', lost);
    channel.on('close', () => lost(new Error('channel closed')));
  }

  /** AMQP 0-9-1 connection.update-secret: RabbitMQ checks the new token and keeps the connection (or closes it). */
  async updateSecret(secret: string): Promise<void> {
    try {
      await this.model.updateSecret(Buffer.from(secret, 'utf8'), 'token refresh');
    } catch (e) {
      throw classifyAmqpError(e, this.where);
    }
  }

  get server(): string | undefined {
    const p = this.model.connection.serverProperties;
    return p ? `${p.product ?? 'AMQP'}/${p.version ?? '?'}` : undefined;
  }

  private async declare(queue: string, temporary?: boolean): Promise<void> {
    if (this.declared.has(queue)) return;
    await this.channel.assertQueue(queue, temporary ? { durable: false, exclusive: true, autoDelete: true } : { durable: true });
    this.declared.add(queue);
  }

  async publish(queue: string, body: Buffer, options: PublishOptions): Promise<void> {
    await this.declare(queue, options.temporary);
    await new Promise<void>((resolve, reject) => {
      this.channel.sendToQueue(queue, body, { persistent: options.persistent ?? true, headers: options.headers }, (err) =>
        err ? reject(new MqPlatformError('protocol', `${this.where} did not confirm the message`, { cause: err })) : resolve(),
      );
    });
  }

  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<() => Promise<void>> {
    await this.declare(queue, options.temporary);
    await this.channel.prefetch(options.prefetch ?? 1);
    const { consumerTag } = await this.channel.consume(
      queue,
      (m) => {
        if (!m) return;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(m.properties.headers ?? {})) headers[k] = String(v);
        void Promise.resolve(
          handler({
            body: m.content,
            headers,
            redelivered: m.fields.redelivered,
            ack: async () => this.channel.ack(m),
            nack: async () => this.channel.nack(m, false, true),
          }),
        ).catch(() => undefined);
      },
      { noAck: false },
    );
    return async () => {
      await this.channel.cancel(consumerTag);
    };
  }

  async close(): Promise<void> {
    this.done = true;
    await this.model.close().catch(() => undefined);
  }

  destroy(): void {
    this.done = true;
    // amqplib has no public hard-close; destroying the stream mimics a crashed process.
    // Destroying with an error makes amqplib tear down its heartbeat timer too.
    const stream = (this.model.connection as unknown as { stream?: { destroy(e?: Error): void } }).stream;
    if (stream) stream.destroy(new Error('connection destroyed by client'));
    else void this.model.close().catch(() => undefined);
  }

  onLost(cb: (err: Error) => void): void {
    this.lostCb = cb;
  }
}
