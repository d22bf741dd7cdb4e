import { ManagementApiError, RabbitMqManagementClient, type ManagementClientOptions } from './management-client';
import type { Arguments } from './definitions';

/**
 * The management API endpoints of definitions (https://www.rabbitmq.com/docs/http-api-reference):
 * reads of what a vhost holds and the writes the applier makes. Every write goes through `write`,
 * so a caller can count them (a second apply with no change makes none).
 */

export interface LiveExchange {
  readonly vhost: string;
  readonly name: string;
  readonly type: string;
  readonly durable: boolean;
  readonly auto_delete: boolean;
  readonly internal: boolean;
  readonly arguments: Arguments;
}

export interface LiveQueue {
  readonly vhost: string;
  readonly name: string;
  /** classic, quorum or stream. */
  readonly type?: string;
  readonly durable: boolean;
  readonly auto_delete: boolean;
  readonly exclusive?: boolean;
  readonly arguments: Arguments;
  /** Ready + unacknowledged; absent until the broker emitted the queue's first statistics. */
  readonly messages?: number;
}

export interface LiveBinding {
  readonly vhost: string;
  readonly source: string;
  readonly destination: string;
  readonly destination_type: 'queue' | 'exchange';
  readonly routing_key: string;
  readonly arguments: Arguments;
  /** What DELETE needs to name the binding. */
  readonly properties_key: string;
}

export interface LivePolicy {
  readonly vhost: string;
  readonly name: string;
  readonly pattern: string;
  readonly 'apply-to': string;
  readonly priority: number;
  readonly definition: Record<string, unknown>;
}

/** One write the applier made (method and path), in order. */
export interface DefinitionsWrite {
  readonly method: 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
}

export class DefinitionsClient extends RabbitMqManagementClient {
  /** Every write made through this client, in order. */
  readonly writes: DefinitionsWrite[] = [];

  constructor(options: ManagementClientOptions) {
    super(options);
  }

  /** The same broker and credentials, with its own write log. */
  static from(options: ManagementClientOptions): DefinitionsClient {
    return new DefinitionsClient(options);
  }

  async vhostNames(): Promise<string[]> {
    return ((await this.request('GET', '/api/vhosts')) as Array<{ name: string }>).map((v) => v.name);
  }

  async exchanges(vhost: string): Promise<LiveExchange[]> {
    return this.listIn<LiveExchange>(`/api/exchanges/${enc(vhost)}`);
  }

  async queues(vhost: string): Promise<LiveQueue[]> {
    // Only what the applier compares: a queue listing otherwise carries every statistic of every queue.
    return this.listIn<LiveQueue>(`/api/queues/${enc(vhost)}?columns=vhost,name,type,durable,auto_delete,exclusive,arguments,messages`);
  }

  async bindings(vhost: string): Promise<LiveBinding[]> {
    return this.listIn<LiveBinding>(`/api/bindings/${enc(vhost)}`);
  }

  async policies(vhost: string): Promise<LivePolicy[]> {
    return this.listIn<LivePolicy>(`/api/policies/${enc(vhost)}`);
  }

  /** `GET /api/vhost-limits/{vhost}`: the vhost's limits (`max-connections`, `max-queues`). */
  async vhostLimits(vhost: string): Promise<Record<string, number>> {
    const list = await this.listIn<{ value: Record<string, number> }>(`/api/vhost-limits/${enc(vhost)}`);
    return list[0]?.value ?? {};
  }

  /** One queue with its message count, or undefined when absent. */
  async queue(vhost: string, name: string): Promise<LiveQueue | undefined> {
    try {
      return (await this.request('GET', `/api/queues/${enc(vhost)}/${enc(name)}`)) as LiveQueue;
    } catch (e) {
      if (e instanceof ManagementApiError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  putVhost(name: string): Promise<void> {
    return this.write('PUT', `/api/vhosts/${enc(name)}`, {});
  }

  /**
   * Gives the calling user (the administrator) every permission on a vhost it created, unless it has
   * some already: RabbitMQ's management API grants them to the creator (3.10 does), which the later
   * declarations in that vhost need; this makes that explicit where a version does not.
   */
  async ensureOwnPermission(vhost: string): Promise<void> {
    const me = this.options.credentials.username;
    try {
      await this.request('GET', `/api/permissions/${enc(vhost)}/${enc(me)}`);
    } catch (e) {
      if (!(e instanceof ManagementApiError && e.kind === 'not-found')) throw e;
      await this.write('PUT', `/api/permissions/${enc(vhost)}/${enc(me)}`, { configure: '.*', write: '.*', read: '.*' });
    }
  }

  deleteVhost(name: string): Promise<void> {
    return this.write('DELETE', `/api/vhosts/${enc(name)}`);
  }

  putExchange(vhost: string, name: string, body: { type: string; internal: boolean; arguments: Arguments }): Promise<void> {
    return this.write('PUT', `/api/exchanges/${enc(vhost)}/${enc(name)}`, { ...body, durable: true, auto_delete: false });
  }

  deleteExchange(vhost: string, name: string): Promise<void> {
    return this.write('DELETE', `/api/exchanges/${enc(vhost)}/${enc(name)}?if-unused=false`);
  }

  putQueue(vhost: string, name: string, body: { durable: boolean; arguments: Arguments }): Promise<void> {
    return this.write('PUT', `/api/queues/${enc(vhost)}/${enc(name)}`, { ...body, auto_delete: false });
  }

  /** With `ifEmpty` the broker itself refuses (400) when the queue holds messages: no race with a publisher. */
  deleteQueue(vhost: string, name: string, ifEmpty: boolean): Promise<void> {
    return this.write('DELETE', `/api/queues/${enc(vhost)}/${enc(name)}${ifEmpty ? '?if-empty=true' : ''}`);
  }

  postBinding(
    vhost: string,
    source: string,
    destinationType: 'queue' | 'exchange',
    destination: string,
    routingKey: string,
    args: Arguments,
  ) {
    return this.write(
      'POST',
      `/api/bindings/${enc(vhost)}/e/${enc(source)}/${destinationType === 'queue' ? 'q' : 'e'}/${enc(destination)}`,
      {
        routing_key: routingKey,
        arguments: args,
      },
    );
  }

  deleteBinding(b: LiveBinding): Promise<void> {
    const kind = b.destination_type === 'queue' ? 'q' : 'e';
    return this.write('DELETE', `/api/bindings/${enc(b.vhost)}/e/${enc(b.source)}/${kind}/${enc(b.destination)}/${enc(b.properties_key)}`);
  }

  putPolicy(vhost: string, name: string, body: { pattern: string; 'apply-to': string; priority: number; definition: unknown }) {
    return this.write('PUT', `/api/policies/${enc(vhost)}/${enc(name)}`, body);
  }

  deletePolicy(vhost: string, name: string): Promise<void> {
    return this.write('DELETE', `/api/policies/${enc(vhost)}/${enc(name)}`);
  }

  putVhostLimit(vhost: string, name: string, value: number): Promise<void> {
    // RabbitMQ 3.10 answers this PUT 406 to `accept: application/json`.
    return this.write('PUT', `/api/vhost-limits/${enc(vhost)}/${enc(name)}`, { value }, { accept: '*/*' });
  }

  deleteVhostLimit(vhost: string, name: string): Promise<void> {
    return this.write('DELETE', `/api/vhost-limits/${enc(vhost)}/${enc(name)}`, undefined, { accept: '*/*' });
  }

  private async write(method: DefinitionsWrite['method'], path: string, body?: unknown, headers?: Record<string, string>): Promise<void> {
    this.writes.push({ method, path });
    await this.request(method, path, body, headers);
  }

  /** A vhost that does not exist holds nothing. */
  private async listIn<T>(path: string): Promise<T[]> {
    try {
      return ((await this.request('GET', path)) as T[] | undefined) ?? [];
    } catch (e) {
      if (e instanceof ManagementApiError && e.kind === 'not-found') return [];
      throw e;
    }
  }
}

const enc = encodeURIComponent;
