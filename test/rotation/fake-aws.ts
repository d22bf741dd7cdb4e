/**
 * In-memory Secrets Manager (many secrets) and Amazon MQ (ActiveMQ users, pending changes,
 * asynchronous reboots, tags) behind aws-sdk-client-mock, on a fake clock, behaving as the docs say:
 * UpdateUser records a pending change applied at the next reboot; RebootBroker only from RUNNING,
 * answers at once and starts the reboot a moment later; labels move as Secrets Manager moves them.
 */
import {
  BadRequestException,
  CreateTagsCommand,
  DescribeBrokerCommand,
  DescribeUserCommand,
  ListBrokersCommand,
  ListTagsCommand,
  MqClient,
  NotFoundException,
  RebootBrokerCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-mq';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { LoginProbe, ProbeResult } from '../../lib/rotation/probe';
import { ROTATION_STEPS, type Credentials, type RotationEvent, type RotationStep } from '../../lib/rotation/types';

export class FakeClock {
  now = 1_800_000_000_000;
  /** Lets other pending work run first (as a real sleep would), then moves the clock. */
  readonly sleep = async (ms: number): Promise<void> => {
    await new Promise((r) => setImmediate(r));
    this.now += ms;
  };
  readonly nowFn = (): number => this.now;
}

interface Version {
  value?: string;
  stages: Set<string>;
}

interface Secret {
  arn: string;
  name: string;
  rotationEnabled: boolean;
  versions: Map<string, Version>;
}

export class FakeSecretsManager {
  readonly client = new SecretsManagerClient({ region: 'eu-west-1' });
  readonly mock = mockClient(this.client);
  private readonly secrets = new Map<string, Secret>();
  private counter = 0;

  constructor() {
    const find = (id: string): Secret => {
      const s = this.secrets.get(id) ?? [...this.secrets.values()].find((x) => x.name === id);
      if (!s) throw new ResourceNotFoundException({ message: `no secret ${id}`, $metadata: {} });
      return s;
    };
    this.mock.on(DescribeSecretCommand).callsFake((i: { SecretId: string }) => {
      const s = find(i.SecretId);
      return {
        ARN: s.arn,
        Name: s.name,
        RotationEnabled: s.rotationEnabled,
        VersionIdsToStages: Object.fromEntries([...s.versions].filter(([, v]) => v.stages.size).map(([id, v]) => [id, [...v.stages]])),
      };
    });
    this.mock.on(GetSecretValueCommand).callsFake((i: { SecretId: string; VersionId?: string; VersionStage?: string }) => {
      const s = find(i.SecretId);
      const v = i.VersionId
        ? s.versions.get(i.VersionId)
        : [...s.versions.values()].find((x) => x.stages.has(i.VersionStage ?? 'AWSCURRENT'));
      if (!v || v.value === undefined || (i.VersionStage && !v.stages.has(i.VersionStage))) {
        throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value", $metadata: {} });
      }
      return { ARN: s.arn, Name: s.name, SecretString: v.value };
    });
    this.mock
      .on(PutSecretValueCommand)
      .callsFake((i: { SecretId: string; ClientRequestToken: string; SecretString: string; VersionStages?: string[] }) => {
        const s = find(i.SecretId);
        const existing = s.versions.get(i.ClientRequestToken);
        if (existing?.value !== undefined) {
          if (existing.value !== i.SecretString)
            throw new ResourceExistsException({ message: 'version exists with another value', $metadata: {} });
          return {};
        }
        const v = existing ?? { stages: new Set<string>() };
        v.value = i.SecretString;
        s.versions.set(i.ClientRequestToken, v);
        const stages = i.VersionStages ?? ['AWSCURRENT'];
        for (const stage of stages) this.label(s, stage, i.ClientRequestToken);
        return {};
      });
    this.mock
      .on(UpdateSecretVersionStageCommand)
      .callsFake((i: { SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) => {
        const s = find(i.SecretId);
        const holder = this.holder(s, i.VersionStage);
        if (holder && holder !== i.MoveToVersionId && holder !== i.RemoveFromVersionId) {
          throw new InvalidRequestException({
            message: `${i.VersionStage} is on ${holder}; name it in RemoveFromVersionId`,
            $metadata: {},
          });
        }
        if (i.MoveToVersionId) this.label(s, i.VersionStage, i.MoveToVersionId);
        else if (holder) s.versions.get(holder)!.stages.delete(i.VersionStage);
        return {};
      });
  }

  add(arn: string, name: string, value: Record<string, unknown>, rotationEnabled = true): void {
    this.secrets.set(arn, {
      arn,
      name,
      rotationEnabled,
      versions: new Map([[`${name}-v0`, { value: JSON.stringify(value), stages: new Set(['AWSCURRENT']) }]]),
    });
  }

  /** As PutSecretValue without stages: a new version becomes AWSCURRENT. */
  putCurrent(arn: string, value: Record<string, unknown>): void {
    const s = this.secrets.get(arn)!;
    const id = `put-${++this.counter}`;
    s.versions.set(id, { value: JSON.stringify(value), stages: new Set() });
    this.label(s, 'AWSCURRENT', id);
  }

  value(arn: string, stage = 'AWSCURRENT'): Record<string, string> | undefined {
    const v = [...this.secrets.get(arn)!.versions.values()].find((x) => x.stages.has(stage));
    return v?.value === undefined ? undefined : (JSON.parse(v.value) as Record<string, string>);
  }

  /** What RotateSecret does before it calls the function: a new version id labelled AWSPENDING, without a value. */
  startRotation(arn: string): string {
    const s = this.secrets.get(arn)!;
    const token = `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`;
    s.versions.set(token, { stages: new Set() });
    this.label(s, 'AWSPENDING', token);
    return token;
  }

  /**
   * What Secrets Manager does when a schedule is created or changed without rotating: an AWSPENDING
   * version (here: without a value, or a copy of AWSCURRENT) for a testSecret call, removed afterwards.
   */
  configurationTest(arn: string, copyCurrent: boolean): string {
    const token = this.startRotation(arn);
    if (copyCurrent) this.secrets.get(arn)!.versions.get(token)!.value = JSON.stringify(this.value(arn));
    return token;
  }

  event(arn: string, token: string, step: RotationStep): RotationEvent {
    return { SecretId: arn, ClientRequestToken: token, Step: step };
  }

  /** Runs the steps in order, each `times` times; afterwards AWSPENDING leaves, as Secrets Manager does on success. */
  async rotate(
    arn: string,
    handle: (e: RotationEvent) => Promise<unknown>,
    options: { times?: number; between?: (step: RotationStep) => Promise<void> | void } = {},
  ): Promise<string> {
    const token = this.startRotation(arn);
    for (const step of ROTATION_STEPS) {
      for (let i = 0; i < (options.times ?? 1); i++) await handle(this.event(arn, token, step));
      await options.between?.(step);
    }
    this.clearPending(arn, token);
    return token;
  }

  clearPending(arn: string, token: string): void {
    this.secrets.get(arn)!.versions.get(token)?.stages.delete('AWSPENDING');
  }

  private holder(s: Secret, stage: string): string | undefined {
    return [...s.versions].find(([, v]) => v.stages.has(stage))?.[0];
  }

  private label(s: Secret, stage: string, id: string): void {
    const holder = this.holder(s, stage);
    if (holder === id) return;
    if (holder) {
      s.versions.get(holder)!.stages.delete(stage);
      if (stage === 'AWSCURRENT') {
        for (const v of s.versions.values()) v.stages.delete('AWSPREVIOUS');
        s.versions.get(holder)!.stages.add('AWSPREVIOUS');
      }
    }
    s.versions.get(id)!.stages.add(stage);
  }
}

interface User {
  password: string;
  consoleAccess?: boolean;
  groups?: string[];
}

interface Broker {
  id: string;
  name: string;
  arn: string;
  users: Map<string, User>;
  pending: Map<string, User>;
  tags: Record<string, string>;
  tagWrites: { tags: Record<string, string>; visibleAt: number }[];
  /** CRDR role; a REPLICA is in state REPLICA: no logins, no reboot (crdr-for-active-mq, brokers-broker-id-reboot). */
  crdrRole?: 'PRIMARY' | 'REPLICA';
  /** Reboots requested and when they start / end, on the fake clock. */
  reboots: { cause: 'api' | 'maintenance'; startAt: number; endAt: number; started: boolean; done: boolean }[];
}

export class FakeAmazonMq {
  readonly client = new MqClient({ region: 'eu-west-1' });
  readonly mock = mockClient(this.client);
  readonly brokers = new Map<string, Broker>();
  /** Number of RebootBroker calls to refuse (fault). */
  refuseReboots = 0;
  /** Fault: the next calls of these commands time out. */
  readonly timeouts = new Map<string, number>();
  /** Fault hook: a call of this command times out when it answers true. */
  failWhen?: (command: string) => boolean;
  /** Hook: after a RebootBroker was accepted. */
  afterReboot?: () => void;
  /** Fault hook: runs before an UpdateUser is recorded (e.g. another writer in between). */
  beforeUpdateUser?: (input: { Username: string; Password?: string }) => void;
  /** Fault: RebootBroker is accepted but its answer is lost (the caller sees a timeout). */
  loseRebootAnswers = 0;
  /** How long a CreateTags takes to show in ListTags. */
  tagVisibilityMs = 0;
  rebootStartDelayMs = 2000;
  rebootDurationMs = 60000;

  constructor(private readonly clock: FakeClock) {
    const broker = (id: string): Broker => {
      this.tick();
      const b = this.brokers.get(id) ?? [...this.brokers.values()].find((x) => x.arn === id);
      if (!b) throw new NotFoundException({ message: `no broker ${id}`, $metadata: {} });
      return b;
    };
    const fault = (command: string) => {
      if (this.failWhen?.(command))
        throw Object.assign(new Error(`${command}: connection timed out after 20000 ms`), { name: 'TimeoutError' });
      const n = this.timeouts.get(command) ?? 0;
      if (n > 0) {
        this.timeouts.set(command, n - 1);
        throw Object.assign(new Error(`${command}: connection timed out after 20000 ms`), { name: 'TimeoutError' });
      }
    };
    this.mock.on(DescribeBrokerCommand).callsFake((i: { BrokerId: string }) => {
      fault('DescribeBroker');
      const b = broker(i.BrokerId);
      return {
        BrokerId: b.id,
        BrokerArn: b.arn,
        BrokerName: b.name,
        BrokerState: this.state(b),
        ...(b.crdrRole ? { DataReplicationMode: 'CRDR', DataReplicationMetadata: { DataReplicationRole: b.crdrRole } } : {}),
        BrokerInstances: [1, 2].map((n) => ({
          Endpoints: [`ssl://${b.id}-${n}.mq.eu-west-1.on.aws:61617`, `stomp+ssl://${b.id}-${n}.mq.eu-west-1.on.aws:61614`],
        })),
      };
    });
    this.mock.on(ListBrokersCommand).callsFake(() => {
      this.tick();
      return {
        BrokerSummaries: [...this.brokers.values()].map((b) => ({
          BrokerId: b.id,
          BrokerArn: b.arn,
          BrokerName: b.name,
          BrokerState: this.state(b),
        })),
      };
    });
    this.mock.on(DescribeUserCommand).callsFake((i: { BrokerId: string; Username: string }) => {
      fault('DescribeUser');
      const b = broker(i.BrokerId);
      const u = b.users.get(i.Username);
      const p = b.pending.get(i.Username);
      if (!u && !p) throw new NotFoundException({ message: `no user ${i.Username}`, $metadata: {} });
      return {
        BrokerId: b.id,
        Username: i.Username,
        ConsoleAccess: u?.consoleAccess,
        Groups: u?.groups,
        Pending: p ? { PendingChange: u ? 'UPDATE' : 'CREATE', ConsoleAccess: p.consoleAccess, Groups: p.groups } : undefined,
      };
    });
    this.mock
      .on(UpdateUserCommand)
      .callsFake((i: { BrokerId: string; Username: string; Password?: string; ConsoleAccess?: boolean; Groups?: string[] }) => {
        fault('UpdateUser');
        this.beforeUpdateUser?.(i);
        const b = broker(i.BrokerId);
        const base = b.pending.get(i.Username) ?? b.users.get(i.Username);
        if (!base) throw new NotFoundException({ message: `no user ${i.Username}`, $metadata: {} });
        b.pending.set(i.Username, { password: i.Password ?? base.password, consoleAccess: i.ConsoleAccess, groups: i.Groups });
        return {};
      });
    this.mock.on(RebootBrokerCommand).callsFake((i: { BrokerId: string }) => {
      fault('RebootBroker');
      const b = broker(i.BrokerId);
      if (this.refuseReboots > 0) {
        this.refuseReboots--;
        throw new BadRequestException({ message: 'cannot be rebooted right now (injected)', $metadata: {} });
      }
      if (this.state(b) !== 'RUNNING')
        throw new BadRequestException({ message: 'You can reboot only a broker with the RUNNING status.', $metadata: {} });
      this.scheduleReboot(b, 'api', this.rebootStartDelayMs);
      this.afterReboot?.();
      if (this.loseRebootAnswers > 0) {
        this.loseRebootAnswers--;
        throw Object.assign(new Error('RebootBroker: socket hang up (answer lost)'), { name: 'TimeoutError' });
      }
      return {};
    });
    this.mock.on(ListTagsCommand).callsFake((i: { ResourceArn: string }) => {
      const b = broker(i.ResourceArn);
      // Eventual consistency: a write shows only after tagVisibilityMs; the last visible write wins.
      const visible = { ...b.tags };
      for (const w of b.tagWrites.filter((x) => x.visibleAt <= this.clock.now)) Object.assign(visible, w.tags);
      return { Tags: visible };
    });
    this.mock.on(CreateTagsCommand).callsFake((i: { ResourceArn: string; Tags: Record<string, string> }) => {
      const b = broker(i.ResourceArn);
      if (this.tagVisibilityMs > 0) b.tagWrites.push({ tags: { ...i.Tags }, visibleAt: this.clock.now + this.tagVisibilityMs });
      else Object.assign(b.tags, i.Tags);
      return {};
    });
  }

  addBroker(id: string, users: Record<string, string>, name = id.replace(/^b-/, '')): Broker {
    const b: Broker = {
      id,
      name,
      arn: `arn:aws:mq:eu-west-1:111111111111:broker:${id}`,
      users: new Map(Object.entries(users).map(([name, password]) => [name, { password, groups: ['app'] }])),
      pending: new Map(),
      tags: {},
      tagWrites: [],
      reboots: [],
    };
    this.brokers.set(id, b);
    return b;
  }

  /** Fault: a maintenance (or operator) reboot starting after `delayMs`; it applies pending changes like any reboot. */
  maintenanceReboot(id: string, delayMs = 0): void {
    this.scheduleReboot(this.brokers.get(id)!, 'maintenance', delayMs);
  }

  rebootsBy(id: string, cause: 'api' | 'maintenance' = 'api'): number {
    return this.brokers.get(id)!.reboots.filter((r) => r.cause === cause).length;
  }

  /** The password a login with this user succeeds with right now (undefined while the broker reboots). */
  activePassword(id: string, user: string): string | undefined {
    const b = this.brokers.get(id)!;
    this.tick();
    return this.state(b) === 'RUNNING' ? b.users.get(user)?.password : undefined;
  }

  /** The password a deploy's UpdateUser would be compared against: the pending one, else the applied one. */
  latestPassword(id: string, user: string): string | undefined {
    const b = this.brokers.get(id)!;
    return (b.pending.get(user) ?? b.users.get(user))?.password;
  }

  /** A login probe over the fake broker's applied users. */
  probe(id: string, unreachable: () => boolean = () => false): LoginProbe {
    return async (_endpoints, creds: Credentials): Promise<ProbeResult> => {
      if (unreachable()) return { outcome: 'unreachable', detail: 'connect ECONNREFUSED (injected)' };
      const b = this.brokers.get(id)!;
      this.tick();
      if (this.state(b) !== 'RUNNING') return { outcome: 'unreachable', detail: `broker ${this.state(b)}` };
      return b.users.get(creds.username)?.password === creds.password
        ? { outcome: 'ok' }
        : { outcome: 'wrong-credentials', detail: 'User name or password is invalid' };
    };
  }

  private scheduleReboot(b: Broker, cause: 'api' | 'maintenance', delayMs: number): void {
    const after = Math.max(this.clock.now + delayMs, ...b.reboots.filter((r) => !r.done).map((r) => r.endAt));
    b.reboots.push({ cause, startAt: after, endAt: after + this.rebootDurationMs, started: false, done: false });
  }

  private state(b: Broker): 'RUNNING' | 'REBOOT_IN_PROGRESS' | 'REPLICA' {
    if (b.crdrRole === 'REPLICA') return 'REPLICA';
    return b.reboots.some((r) => r.started && !r.done) ? 'REBOOT_IN_PROGRESS' : 'RUNNING';
  }

  /** Starts and ends reboots whose time has come; a reboot applies the changes pending when it started. */
  tick(): void {
    for (const b of this.brokers.values()) {
      for (const r of b.reboots) {
        if (!r.started && this.clock.now >= r.startAt) {
          r.started = true;
          for (const [name, u] of b.pending) b.users.set(name, u);
          b.pending.clear();
        }
        if (r.started && !r.done && this.clock.now >= r.endAt) r.done = true;
      }
    }
  }
}
