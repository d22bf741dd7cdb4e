/**
 * The Amazon MQ API as the REST API reference describes it (REST-JSON, lowerCamel fields):
 * https://docs.aws.amazon.com/amazon-mq/latest/api-reference/ — brokers, brokers-broker-id,
 * brokers-broker-id-reboot, brokers-broker-id-users, brokers-broker-id-users-username,
 * brokers-broker-id-promote, tags-resource-arn.
 * Behaviour taken from the docs, not from our code:
 * - "Making changes to a user does not apply the changes to the user immediately. To apply your
 *   changes, you must wait for the next maintenance window or reboot the broker" (developer guide,
 *   user.html): CreateUser/UpdateUser/DeleteUser record a pending change, shown by DescribeUser
 *   (`pending`) and DescribeBroker/ListUsers (`pendingChange`), applied at the next reboot.
 * - Users "do not apply to RabbitMQ brokers" (ListUsers): user calls on a RabbitMQ broker are refused.
 * - "You can reboot only a broker with the RUNNING status" and "This API is asynchronous"
 *   (brokers-broker-id-reboot): refused with 400 otherwise; it answers at once, and the broker
 *   stays RUNNING for a moment before REBOOT_IN_PROGRESS, then RUNNING again.
 * - The maintenance window "triggers a reboot" that applies pending changes (managing-broker-configurations.html).
 * - Cross-Region data replication (crdr-for-active-mq.html, initate-failover.html, brokers-broker-id-promote):
 *   a pair spans two emulators (one per Region, `pairCrdr`); DescribeBroker shows `dataReplicationMode`
 *   CRDR and `dataReplicationMetadata` (role, counterpart id and Region), a replica in state REPLICA
 *   (the BrokerState the API defines). Promote "Promotes a data replication replica broker to the
 *   primary broker role" (400 for any other broker or mode), answers at once with the id, and
 *   "the former primary broker then becomes the replica broker". SWITCHOVER "depends on the health of
 *   both regions ... to succeed": with the counterpart's Region down it does not complete. FAILOVER
 *   "depends on neither": the replica becomes primary after `promoteDelayMs`; an unreachable former
 *   primary is demoted when its Region answers again.
 * The real broker processes behind a broker are driven through a BrokerBackend.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ServiceError } from './errors';

export interface EmulatedUser {
  readonly username: string;
  readonly password: string;
  readonly groups: readonly string[];
  readonly consoleAccess: boolean;
  readonly replicationUser?: boolean;
}

/** The local processes of one broker. */
export interface BrokerBackend {
  /** Restarts the broker so that it knows exactly `users` (ActiveMQ); resolves when it serves again. */
  reboot(users: readonly EmulatedUser[]): Promise<void>;
}

export interface BrokerInstance {
  readonly endpoints: readonly string[];
  readonly consoleURL?: string;
  readonly ipAddress?: string;
}

export interface BrokerDefinition {
  readonly brokerName: string;
  readonly engineType: 'ACTIVEMQ' | 'RABBITMQ';
  readonly engineVersion: string;
  readonly deploymentMode: 'SINGLE_INSTANCE' | 'ACTIVE_STANDBY_MULTI_AZ' | 'CLUSTER_MULTI_AZ';
  readonly instances: readonly BrokerInstance[];
  /** ActiveMQ users the broker already has (applied). */
  readonly users?: readonly EmulatedUser[];
  readonly tags?: Record<string, string>;
  readonly backend: BrokerBackend;
  /** @default a fresh b-<uuid> */
  readonly brokerId?: string;
}

export type CrdrRole = 'PRIMARY' | 'REPLICA';

type PendingChange = { readonly pendingChange: 'CREATE' | 'UPDATE' | 'DELETE'; readonly user?: EmulatedUser };

interface Broker {
  readonly def: BrokerDefinition;
  readonly id: string;
  readonly arn: string;
  state: 'RUNNING' | 'REBOOT_IN_PROGRESS' | 'REPLICA';
  /** A reboot accepted but not started yet (the API is asynchronous). */
  scheduled?: Promise<void>;
  readonly users: Map<string, EmulatedUser>;
  readonly pending: Map<string, PendingChange>;
  tags: Record<string, string>;
  readonly created: string;
  /** Cross-Region data replication: this broker's role and its counterpart in the other emulator. */
  crdr?: { role: CrdrRole; readonly counterpart: { readonly emu: AmazonMqEmulator; readonly id: string }; promoting?: boolean };
}

export interface RebootRecord {
  readonly brokerId: string;
  readonly cause: 'api' | 'maintenance';
  readonly requestedAt: number;
  startedAt?: number;
  endedAt?: number;
  error?: string;
}

export interface AmazonMqOptions {
  readonly region?: string;
  readonly account?: string;
  /** How long the broker stays RUNNING after an accepted RebootBroker. @default 500 */
  readonly rebootStartDelayMs?: number;
  /** How long an accepted Promote takes to swap the roles. @default 500 */
  readonly promoteDelayMs?: number;
}

const USERNAME = /^[A-Za-z0-9_.~-]{2,100}$/;

/** Events: `reboot` (RebootRecord) when a reboot ends; `state` ({brokerId, state}). */
export class AmazonMqEmulator extends EventEmitter {
  private readonly brokers = new Map<string, Broker>();
  readonly reboots: RebootRecord[] = [];
  readonly region: string;
  readonly account: string;
  rebootStartDelayMs: number;
  promoteDelayMs: number;
  /** Fault: the whole Region is down: every call answers 503, and a CRDR counterpart cannot reach it. */
  private down = false;
  /** Fault: refuse the next N RebootBroker calls per broker id. */
  readonly refuseReboots = new Map<string, number>();

  constructor(options: AmazonMqOptions = {}) {
    super();
    this.region = options.region ?? 'eu-west-1';
    this.account = options.account ?? '123456789012';
    this.rebootStartDelayMs = options.rebootStartDelayMs ?? 500;
    this.promoteDelayMs = options.promoteDelayMs ?? 500;
  }

  /** Makes `replicaId` (in `replicaEmu`, another Region) the CRDR replica of `primaryId` here. */
  pairCrdr(primaryId: string, replicaEmu: AmazonMqEmulator, replicaId: string): void {
    const primary = this.get(primaryId);
    const replica = replicaEmu.get(replicaId);
    primary.crdr = { role: 'PRIMARY', counterpart: { emu: replicaEmu, id: replica.id } };
    replica.crdr = { role: 'REPLICA', counterpart: { emu: this, id: primary.id } };
    replicaEmu.setState(replica, 'REPLICA');
  }

  /** Fault: the Region goes down (true) or comes back (false); a pending demotion then happens. */
  set regionDown(down: boolean) {
    this.down = down;
    if (!down) {
      for (const b of this.brokers.values()) {
        const other = b.crdr && b.crdr.counterpart.emu.get(b.crdr.counterpart.id);
        if (b.crdr?.role === 'PRIMARY' && other?.crdr?.role === 'PRIMARY') this.setRole(b, 'REPLICA');
      }
    }
  }

  get regionDown(): boolean {
    return this.down;
  }

  /** Test access: a broker's CRDR role. */
  roleOf(brokerId: string): CrdrRole | undefined {
    return this.get(brokerId).crdr?.role;
  }

  addBroker(def: BrokerDefinition): string {
    const id = def.brokerId ?? `b-${randomUUID()}`;
    this.brokers.set(id, {
      def,
      id,
      arn: `arn:aws:mq:${this.region}:${this.account}:broker:${def.brokerName}:${id}`,
      state: 'RUNNING',
      users: new Map((def.users ?? []).map((u) => [u.username, u])),
      pending: new Map(),
      tags: { ...(def.tags ?? {}) },
      created: new Date().toISOString(),
    });
    return id;
  }

  arnOf(brokerId: string): string {
    return this.get(brokerId).arn;
  }

  /** Test access: the users the broker runs with and the pending changes. */
  peek(brokerId: string): { state: string; users: EmulatedUser[]; pending: string[] } {
    const b = this.get(brokerId);
    return { state: b.state, users: [...b.users.values()], pending: [...b.pending.keys()] };
  }

  /** Fault: an unscheduled maintenance reboot, as the maintenance window does; applies pending changes. */
  maintenanceReboot(brokerId: string): Promise<void> {
    const b = this.get(brokerId);
    return this.reboot(b, 'maintenance', 0);
  }

  /** Resolves when no reboot is scheduled or running. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.brokers.values()].map((b) => b.scheduled).filter(Boolean);
      if (busy.length === 0) return;
      await Promise.allSettled(busy);
    }
  }

  /** Routes one REST call; returns [status, body]. */
  async handle(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): Promise<[number, unknown]> {
    if (this.down) throw new ServiceError(503, 'ServiceUnavailableException', `Region ${this.region} is not answering (injected fault)`);
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1') throw notFound(`no such resource ${path}`);
    if (parts[1] === 'tags' && parts.length === 3) return [method === 'GET' ? 200 : 204, this.tags(method, parts[2], query, body)];
    if (parts[1] !== 'brokers') throw notFound(`no such resource ${path}`);
    if (parts.length === 2 && method === 'GET') return [200, this.listBrokers()];
    const b = this.get(parts[2]);
    if (parts.length === 3 && method === 'GET') return [200, this.describeBroker(b)];
    if (parts.length === 4 && parts[3] === 'reboot' && method === 'POST') return [200, this.rebootBroker(b)];
    if (parts.length === 4 && parts[3] === 'promote' && method === 'POST') return [200, this.promote(b, body)];
    if (parts[3] === 'users') {
      if (b.def.engineType !== 'ACTIVEMQ') throw new ServiceError(400, 'BadRequestException', 'Users do not apply to RabbitMQ brokers');
      if (parts.length === 4 && method === 'GET') return [200, this.listUsers(b, query)];
      if (parts.length === 5) {
        const name = parts[4];
        if (method === 'GET') return [200, this.describeUser(b, name)];
        if (method === 'POST') return [200, this.createUser(b, name, body)];
        if (method === 'PUT') return [200, this.updateUser(b, name, body)];
        if (method === 'DELETE') return [200, this.deleteUser(b, name)];
      }
    }
    throw notFound(`no such resource ${method} ${path}`);
  }

  /** @internal the broker of an id or name (also for a CRDR counterpart in another emulator). */
  get(id: string): Broker {
    const b = this.brokers.get(id) ?? [...this.brokers.values()].find((x) => x.def.brokerName === id);
    if (!b) throw notFound(`Can't find requested broker [${id}]. Make sure your broker exists.`);
    return b;
  }

  private promote(b: Broker, body: Record<string, unknown>): unknown {
    const mode = body.mode;
    if (mode !== 'SWITCHOVER' && mode !== 'FAILOVER') throw badRequest('mode', 'Valid values for the parameter are SWITCHOVER, FAILOVER.');
    if (b.crdr?.role !== 'REPLICA') {
      throw badRequest(
        'brokerId',
        `Broker ${b.id} is not a replica broker; Promote applies only to a cross-region data replication replica`,
      );
    }
    if (b.crdr.promoting) throw new ServiceError(409, 'ConflictException', `Broker ${b.id} is already being promoted`);
    const crdr = b.crdr;
    crdr.promoting = true;
    const counterpart = crdr.counterpart.emu;
    const other = counterpart.get(crdr.counterpart.id);
    const attempt = () => {
      if (mode === 'SWITCHOVER' && counterpart.regionDown) {
        // Needs both Regions: it waits (and so never completes while the counterpart is down).
        setTimeout(attempt, this.promoteDelayMs).unref();
        return;
      }
      crdr.promoting = false;
      this.setRole(b, 'PRIMARY');
      // A failover does not wait for the former primary; it is demoted once its Region answers.
      if (!counterpart.regionDown) counterpart.setRole(other, 'REPLICA');
    };
    setTimeout(attempt, this.promoteDelayMs).unref();
    return { brokerId: b.id };
  }

  private setRole(b: Broker, role: CrdrRole): void {
    if (!b.crdr) return;
    b.crdr.role = role;
    this.setState(b, role === 'REPLICA' ? 'REPLICA' : 'RUNNING');
  }

  private listBrokers(): unknown {
    return {
      brokerSummaries: [...this.brokers.values()].map((b) => ({
        brokerArn: b.arn,
        brokerId: b.id,
        brokerName: b.def.brokerName,
        brokerState: b.state,
        created: b.created,
        deploymentMode: b.def.deploymentMode,
        engineType: b.def.engineType,
        hostInstanceType: 'mq.m5.large',
      })),
    };
  }

  private describeBroker(b: Broker): unknown {
    const names = new Set([...b.users.keys(), ...b.pending.keys()]);
    return {
      authenticationStrategy: 'SIMPLE',
      autoMinorVersionUpgrade: true,
      brokerArn: b.arn,
      brokerId: b.id,
      brokerInstances: b.def.instances.map((i) => ({
        consoleURL: i.consoleURL,
        endpoints: [...i.endpoints],
        ipAddress: i.ipAddress ?? '127.0.0.1',
      })),
      brokerName: b.def.brokerName,
      brokerState: b.state,
      created: b.created,
      deploymentMode: b.def.deploymentMode,
      engineType: b.def.engineType,
      engineVersion: b.def.engineVersion,
      hostInstanceType: 'mq.m5.large',
      publiclyAccessible: false,
      tags: b.tags,
      ...(b.crdr
        ? {
            dataReplicationMode: 'CRDR',
            dataReplicationMetadata: {
              dataReplicationRole: b.crdr.role,
              dataReplicationCounterpart: { brokerId: b.crdr.counterpart.id, region: b.crdr.counterpart.emu.region },
            },
          }
        : { dataReplicationMode: 'NONE' }),
      users:
        b.def.engineType === 'ACTIVEMQ'
          ? [...names].sort().map((username) => ({
              username,
              ...(b.pending.has(username) ? { pendingChange: b.pending.get(username)!.pendingChange } : {}),
            }))
          : [],
    };
  }

  private listUsers(b: Broker, query: URLSearchParams): unknown {
    const max = Number(query.get('maxResults') ?? 20);
    const start = Number(query.get('nextToken') ?? 0);
    const names = [...new Set([...b.users.keys(), ...b.pending.keys()])].sort();
    const page = names.slice(start, start + max);
    return {
      brokerId: b.id,
      maxResults: max,
      users: page.map((username) => ({
        username,
        ...(b.pending.has(username) ? { pendingChange: b.pending.get(username)!.pendingChange } : {}),
      })),
      ...(start + max < names.length ? { nextToken: String(start + max) } : {}),
    };
  }

  private describeUser(b: Broker, name: string): unknown {
    const applied = b.users.get(name);
    const pending = b.pending.get(name);
    if (!applied && !pending) throw notFound(`Can't find requested user [${name}]. Make sure your user exists.`);
    const shown = applied ?? pending!.user!;
    return {
      brokerId: b.id,
      username: name,
      consoleAccess: shown.consoleAccess,
      groups: [...shown.groups],
      replicationUser: shown.replicationUser ?? false,
      ...(pending
        ? {
            pending: {
              pendingChange: pending.pendingChange,
              ...(pending.user ? { consoleAccess: pending.user.consoleAccess, groups: [...pending.user.groups] } : {}),
            },
          }
        : {}),
    };
  }

  private validate(name: string, body: Record<string, unknown>, passwordRequired: boolean): void {
    if (!USERNAME.test(name)) throw badRequest('username', 'Username must be 2-100 characters: letters, digits, - . _ ~');
    const pw = body.password;
    if (pw === undefined && !passwordRequired) return;
    if (
      typeof pw !== 'string' ||
      pw.length < 12 ||
      pw.length > 250 ||
      /[,:=]/.test(pw) ||
      new Set(pw).size < 4 ||
      !/^[\x20-\x7e]+$/.test(pw)
    ) {
      throw badRequest(
        'password',
        'Password must be 12-250 printable ASCII characters with at least 4 unique characters and no commas, colons or equal signs',
      );
    }
  }

  private createUser(b: Broker, name: string, body: Record<string, unknown>): unknown {
    this.validate(name, body, true);
    const p = b.pending.get(name);
    if ((b.users.has(name) && p?.pendingChange !== 'DELETE') || (!b.users.has(name) && p?.pendingChange === 'CREATE')) {
      throw new ServiceError(409, 'ConflictException', `User [${name}] already exists`);
    }
    const user: EmulatedUser = {
      username: name,
      password: body.password as string,
      groups: (body.groups as string[]) ?? [],
      consoleAccess: Boolean(body.consoleAccess),
    };
    b.pending.set(name, { pendingChange: b.users.has(name) ? 'UPDATE' : 'CREATE', user });
    return {};
  }

  private updateUser(b: Broker, name: string, body: Record<string, unknown>): unknown {
    this.validate(name, body, false);
    const p = b.pending.get(name);
    const base = p?.user ?? b.users.get(name);
    if (!base || p?.pendingChange === 'DELETE') throw notFound(`Can't find requested user [${name}]. Make sure your user exists.`);
    const user: EmulatedUser = {
      username: name,
      password: (body.password as string | undefined) ?? base.password,
      groups: (body.groups as string[] | undefined) ?? base.groups,
      consoleAccess: (body.consoleAccess as boolean | undefined) ?? base.consoleAccess,
      replicationUser: (body.replicationUser as boolean | undefined) ?? base.replicationUser,
    };
    b.pending.set(name, { pendingChange: b.users.has(name) ? 'UPDATE' : 'CREATE', user });
    return {};
  }

  private deleteUser(b: Broker, name: string): unknown {
    if (!b.users.has(name) && !b.pending.has(name)) throw notFound(`Can't find requested user [${name}]. Make sure your user exists.`);
    if (b.users.has(name)) b.pending.set(name, { pendingChange: 'DELETE' });
    else b.pending.delete(name);
    return {};
  }

  private rebootBroker(b: Broker): unknown {
    const refuse = this.refuseReboots.get(b.id) ?? 0;
    if (refuse > 0) {
      this.refuseReboots.set(b.id, refuse - 1);
      throw badRequest('brokerId', `Broker [${b.id}] cannot be rebooted right now (injected refusal). Retry later.`);
    }
    if (b.state !== 'RUNNING')
      throw badRequest('brokerId', `Broker [${b.id}] is in state ${b.state}. You can reboot only a broker with the RUNNING status.`);
    void this.reboot(b, 'api', this.rebootStartDelayMs);
    return {};
  }

  /** Queues a reboot: it starts after `delayMs` and after any reboot already queued. */
  private reboot(b: Broker, cause: RebootRecord['cause'], delayMs: number): Promise<void> {
    const record: RebootRecord = { brokerId: b.id, cause, requestedAt: Date.now() };
    this.reboots.push(record);
    const before = b.scheduled ?? Promise.resolve();
    const run = before.then(async () => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      record.startedAt = Date.now();
      this.setState(b, 'REBOOT_IN_PROGRESS');
      for (const [name, change] of b.pending) {
        if (change.pendingChange === 'DELETE') b.users.delete(name);
        else b.users.set(name, change.user!);
      }
      b.pending.clear();
      try {
        await b.def.backend.reboot([...b.users.values()]);
      } catch (e) {
        record.error = (e as Error).message;
      }
      record.endedAt = Date.now();
      this.setState(b, b.crdr?.role === 'REPLICA' ? 'REPLICA' : 'RUNNING');
      this.emit('reboot', record);
    });
    const tracked = run.finally(() => {
      if (b.scheduled === tracked) b.scheduled = undefined;
    });
    b.scheduled = tracked;
    return tracked;
  }

  private setState(b: Broker, state: Broker['state']): void {
    b.state = state;
    this.emit('state', { brokerId: b.id, state });
  }

  private tags(method: string, arn: string, query: URLSearchParams, body: Record<string, unknown>): unknown {
    const b = [...this.brokers.values()].find((x) => x.arn === arn);
    if (!b) throw notFound(`Can't find requested resource [${arn}].`);
    if (method === 'GET') return { tags: b.tags };
    if (method === 'POST') {
      Object.assign(b.tags, (body.tags as Record<string, string>) ?? {});
      return {};
    }
    if (method === 'DELETE') {
      for (const k of query.getAll('tagKeys')) delete b.tags[k];
      return {};
    }
    throw notFound(`no such resource ${method} tags`);
  }
}

function notFound(message: string): ServiceError {
  return new ServiceError(404, 'NotFoundException', message);
}

function badRequest(attribute: string, message: string): ServiceError {
  const e = new ServiceError(400, 'BadRequestException', message);
  (e as ServiceError & { errorAttribute?: string }).errorAttribute = attribute;
  return e;
}
