import { randomUUID } from 'node:crypto';
import {
  DescribeBrokerCommand,
  DescribeUserCommand,
  NotFoundException,
  type DescribeBrokerResponse,
  paginateListBrokers,
  RebootBrokerCommand,
  UpdateUserCommand,
  type DescribeUserResponse,
  type MqClient,
  type RebootBrokerCommandInput,
  type RebootBrokerCommandOutput,
} from '@aws-sdk/client-mq';
import type { FinalizeHandler } from '@smithy/types';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { errorMessage, jsonLogger, type Logger } from './log';
import { generatePassword } from './password';
import { BrokerUnreachableError, type LoginProbe, type ProbeResult } from './probe';
import { RebootLeaseStore, type RebootLease } from './reboot-lease';
import { parseCredentials, pendingUserOf } from './secret-rotator';
import {
  endpointList,
  type BrokerTarget,
  type CredentialTarget,
  type EngineStrategy,
  type PrepareContext,
  type RotationContext,
} from './types';

/**
 * RebootBroker sent at most once: the SDK retries a request whose answer was lost (timeout, 5xx), and
 * a second accepted RebootBroker is a second reboot. A middleware just below the SDK's retry middleware
 * refuses to send the request again; the SDK does not retry that error.
 */
export function rebootOnce(brokerId: string): RebootBrokerCommand {
  const command = new RebootBrokerCommand({ BrokerId: brokerId });
  command.middlewareStack.addRelativeTo(
    (
      next: FinalizeHandler<RebootBrokerCommandInput, RebootBrokerCommandOutput>,
    ): FinalizeHandler<RebootBrokerCommandInput, RebootBrokerCommandOutput> => {
      let sent = false;
      return async (args) => {
        if (sent)
          throw Object.assign(new Error('RebootBroker is sent once: the first request may have been accepted'), {
            name: 'RebootNotResent',
          });
        sent = true;
        return next(args);
      };
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'mqPlatformRebootOnce' },
  );
  return command;
}

/** The service answered with a refusal (4xx, e.g. not RUNNING): nothing was rebooted. */
function answeredRefusal(e: unknown): boolean {
  const err = e as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return err.$fault === 'client' || (status !== undefined && status >= 400 && status < 500);
}

/**
 * A CRDR replica: BrokerState REPLICA or data replication role REPLICA (API DescribeBroker). "At any
 * given moment, only the primary broker is available for client connections" (AWS Compute Blog,
 * introducing-amazon-mq-cross-region-data-replication-for-activemq-brokers), and "You can reboot only
 * a broker with the RUNNING status" (api-reference/rest-api-broker-reboot).
 */
export function isCrdrReplica(d: Pick<DescribeBrokerResponse, 'BrokerState' | 'DataReplicationMetadata'>): boolean {
  return d.BrokerState === 'REPLICA' || d.DataReplicationMetadata?.DataReplicationRole === 'REPLICA';
}

/** The one line a rotation of a replica's secret logs. */
export function replicaHoldLine(brokerName: string): string {
  return `${brokerName} is a CRDR replica: it accepts no client connections; its users' passwords change at the first rotation after it is promoted`;
}

/** Login attempts after the change is applied before testSecret reports "could not connect". */
const PROBE_ATTEMPTS = 3;

export interface ActiveMqTiming {
  /** Between two looks at the broker. @default 15 s */
  readonly pollMs?: number;
  /** How long testSecret may wait for and perform the reboot; below the function's 15-minute timeout. @default 12 min */
  readonly rebootBudgetMs?: number;
  /** How long the lease owner waits before rebooting, so rotations of the same broker that start with it join. @default 60 s */
  readonly gatherMs?: number;
  /** Between writing the lease tag and reading it back. @default 5 s */
  readonly settleMs?: number;
  /** An open lease whose owner has not rebooted this long after its reboot time is abandoned. @default 5 min */
  readonly leaseStaleMs?: number;
  /** How long after RebootBroker was accepted the reboot may still not have started (the API is asynchronous). @default 2 min */
  readonly rebootStartGraceMs?: number;
}

export interface ActiveMqStrategyProps {
  readonly mq: MqClient;
  readonly secretsManager: SecretsManagerClient;
  /** STOMP+SSL login check (probe.ts activeMqProbe). */
  readonly probe: LoginProbe;
  readonly timing?: ActiveMqTiming;
  /** @default jsonLogger() */
  readonly log?: Logger;
  /** @default generatePassword */
  readonly newPassword?: () => string;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Where an ActiveMQ broker is: from the environment, or looked up by name. */
interface ResolvedBroker {
  readonly brokerId: string;
  readonly brokerArn: string;
  readonly stompEndpoints: readonly string[];
  readonly name: string;
}

/** The value of a broker-user secret: what the broker resource's Users reference (rotation contract, section 2). */
interface BrokerUserSecret {
  readonly username?: string;
  readonly password?: string;
  /** AWSCURRENT version of the application secret when this password was prepared for its next rotation. */
  readonly preparedFor?: string;
}

/**
 * Amazon MQ for ActiveMQ keeps users in the service: UpdateUser records a pending change that applies
 * only when the broker reboots ("To apply your changes, you must wait for the next maintenance window
 * or reboot the broker", API reference, Users). With alternating users the change is on the user
 * clients are not using, so neither the pending state nor the reboot refuses a client's login.
 *
 * At most one reboot per broker per cycle: setSecret only records the change; testSecret waits for a
 * reboot that applies it, and when one is needed takes the broker's reboot lease (reboot-lease.ts).
 * The lease owner waits `gather` so rotations that start together join, and meanwhile prepares the
 * partner user of every other pair of the broker (batch), so those secrets' rotations later in the
 * window find their password already applied and need no reboot of their own.
 * "Applied" is judged only by DescribeUser's pending flag, never by the broker being RUNNING, so a
 * maintenance or operator reboot that applied the change counts, and one that did not is not ours.
 */
export class ActiveMqStrategy implements EngineStrategy {
  private readonly mq: MqClient;
  private readonly sm: SecretsManagerClient;
  private readonly probe: LoginProbe;
  private readonly leases: RebootLeaseStore;
  private readonly t: Required<ActiveMqTiming>;
  private readonly log: Logger;
  private readonly newPassword: () => string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly resolved = new Map<string, Promise<ResolvedBroker>>();

  constructor(props: ActiveMqStrategyProps) {
    this.mq = props.mq;
    this.sm = props.secretsManager;
    this.probe = props.probe;
    this.leases = new RebootLeaseStore(props.mq);
    this.t = {
      pollMs: 15000,
      rebootBudgetMs: 12 * 60000,
      gatherMs: 60000,
      settleMs: 5000,
      leaseStaleMs: 5 * 60000,
      rebootStartGraceMs: 2 * 60000,
      ...props.timing,
    };
    this.log = props.log ?? jsonLogger();
    this.newPassword = props.newPassword ?? generatePassword;
    this.sleep = props.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = props.now ?? Date.now;
  }

  /**
   * A CRDR replica accepts no client connections and cannot be rebooted, so a user change there would
   * stay pending and apply at some later reboot (the docs do not say whether promotion applies it).
   * Its rotation therefore writes nothing to the broker and keeps the password (createSecret stores
   * AWSCURRENT's value); the first rotation after promotion changes it as usual.
   */
  async holdReason(broker: BrokerTarget): Promise<string | undefined> {
    const b = await this.resolve(broker);
    const d = await this.mq.send(new DescribeBrokerCommand({ BrokerId: b.brokerId }));
    return isCrdrReplica(d) ? replicaHoldLine(b.name) : undefined;
  }

  /** The password the lease owner's batch prepared for this pair's next rotation, if it is still meant for it. */
  async preparedPassword(ctx: PrepareContext): Promise<string | undefined> {
    const arn = ctx.credential.brokerUserSecretArns?.[ctx.pendingUsername];
    if (!arn || !ctx.currentVersionId) return undefined;
    const v = await this.brokerUserSecret(arn);
    if (v?.preparedFor === ctx.currentVersionId && v.username === ctx.pendingUsername && v.password) return v.password;
    return undefined;
  }

  /**
   * Records the pending password for the user clients are not using: first in that user's broker-user
   * secret (what CloudFormation resolves, so a deploy can only ever set this newest value), then
   * UpdateUser. Does nothing when the broker already applied it. Changes nothing when the broker
   * cannot be reached.
   */
  async setSecret(ctx: RotationContext): Promise<void> {
    const user = ctx.pending.username;
    const arn = this.brokerUserSecretArn(ctx.credential, user, ctx.secretName);
    const stored = await this.brokerUserSecret(arn);
    const b = await this.resolve(ctx.broker);
    const described = await this.describeUser(b, user);
    const probeWith = stored?.password === ctx.pending.password && !described.Pending ? ctx.pending : ctx.current;
    const d = await this.mq.send(new DescribeBrokerCommand({ BrokerId: b.brokerId }));
    if (isCrdrReplica(d)) {
      throw new Error(
        `setSecret: broker ${b.name} became a CRDR replica after this rotation began; nothing was changed and clients keep using ` +
          `${ctx.current.username}. Remove the AWSPENDING label and rotate again: on a replica the rotation keeps the password`,
      );
    }
    const state = d.BrokerState;
    // While the broker reboots (maintenance, an operator) no login can answer; recording the change on the
    // user clients do not use needs only the Amazon MQ API, and testSecret applies it later.
    const r: ProbeResult =
      state === 'RUNNING' || probeWith === ctx.pending ? await this.probe(b.stompEndpoints, probeWith) : { outcome: 'ok' };
    if (r.outcome === 'unreachable') {
      throw new BrokerUnreachableError(`setSecret: could not connect to broker ${b.name} (${r.detail}); nothing was changed`);
    }
    if (probeWith === ctx.pending && r.outcome === 'ok') {
      this.log('setSecret: the broker already applied the pending password', { secret: ctx.secretName, user });
      return;
    }
    if (probeWith === ctx.current && r.outcome !== 'ok') {
      this.log('setSecret: WARNING the AWSCURRENT credentials are refused; rotating to the other user fixes that', {
        secret: ctx.secretName,
        user: ctx.current.username,
      });
    }
    if (stored?.password !== ctx.pending.password) {
      const value: BrokerUserSecret = { username: user, password: ctx.pending.password, preparedFor: ctx.currentVersionId };
      await this.sm.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: ctx.token, SecretString: JSON.stringify(value) }));
    }
    await this.updateUser(b, user, ctx.pending.password, described);
    this.log('setSecret: pending password recorded on the broker (applies at the next reboot)', { secret: ctx.secretName, user });
  }

  async checkCurrent(ctx: RotationContext): Promise<void> {
    const b = await this.resolve(ctx.broker);
    const hold = await this.holdReason(ctx.broker);
    if (hold) {
      // A replica answers no login (a held rotation reaches here too: AWSPENDING holds AWSCURRENT).
      this.log('testSecret: AWSCURRENT not checked (no client connections on a replica)', { secret: ctx.secretName, reason: hold });
      return;
    }
    const r = await this.probe(b.stompEndpoints, ctx.current);
    if (r.outcome === 'unreachable')
      throw new BrokerUnreachableError(`configuration test: could not connect to broker ${b.name} (${r.detail})`);
    if (r.outcome !== 'ok')
      throw new Error(`configuration test: broker ${b.name} refuses the AWSCURRENT credentials of ${ctx.secretName} (${r.detail})`);
    this.log('testSecret: AWSCURRENT logs in (configuration test)', { secret: ctx.secretName });
  }

  /** Waits for (and if needed performs, once per cycle) the reboot that applies the pending user, then logs in with it. */
  async testSecret(ctx: RotationContext): Promise<void> {
    const user = ctx.pending.username;
    const b = await this.resolve(ctx.broker);
    const deadline = this.now() + this.t.rebootBudgetMs;
    let myReboot: number | undefined;
    let unreachable = 0;
    for (;;) {
      const described = await this.describeUser(b, user);
      if (!described.Pending) {
        await this.closeLeaseIfMine(ctx, b);
        // Applied: the reboot may still be running (listeners down), so look at the state before logging in.
        const state = (await this.mq.send(new DescribeBrokerCommand({ BrokerId: b.brokerId }))).BrokerState;
        if (state === 'RUNNING') {
          const r = await this.probe(b.stompEndpoints, ctx.pending);
          // Right after a reboot or failover the listener may not answer yet: a few more looks before giving up.
          if (r.outcome !== 'unreachable' || ++unreachable >= PROBE_ATTEMPTS || this.now() >= deadline) return this.proved(ctx, b, r);
        }
        await this.sleep(this.t.pollMs);
        continue;
      }
      const now = this.now();
      if (now >= deadline) {
        throw new Error(
          `testSecret: ${user} is still pending on broker ${b.name} after ${Math.round(this.t.rebootBudgetMs / 60000)} min; ` +
            `clients keep using ${ctx.current.username}. Rerun the rotation once the broker is RUNNING`,
        );
      }
      const d = await this.mq.send(new DescribeBrokerCommand({ BrokerId: b.brokerId }));
      if (isCrdrReplica(d)) {
        throw new Error(
          `testSecret: broker ${b.name} became a CRDR replica during this rotation (no reboot, no login there); ${user} stays pending ` +
            `and clients keep using ${ctx.current.username}. Remove the AWSPENDING label and rotate again: on a replica the rotation keeps the password`,
        );
      }
      const state = d.BrokerState;
      if (state !== 'RUNNING') {
        this.log('testSecret: broker is not RUNNING; waiting', { secret: ctx.secretName, state });
        await this.sleep(this.t.pollMs);
        continue;
      }
      if (!this.mayReboot(ctx.broker)) {
        throw new Error(
          `testSecret: ${user} stays pending on single-instance broker ${b.name} until its maintenance window (rotation may not reboot it: ` +
            `acceptRebootDowntime is not set). Clients keep using ${ctx.current.username}; rerun the rotation after the window`,
        );
      }
      if (myReboot !== undefined && now - myReboot >= this.t.rebootStartGraceMs) {
        throw new Error(
          `testSecret: RebootBroker was requested ${Math.round((now - myReboot) / 1000)} s ago, but broker ${b.name} is RUNNING with ${user} still pending; ` +
            'not rebooting a second time. Rerun the rotation',
        );
      }
      const lease = await this.leases.read(b.brokerArn);
      const next = this.decide(lease, ctx.token, now);
      if (next.kind === 'wait') {
        this.log(`testSecret: waiting (${next.why})`, { secret: ctx.secretName });
        const left = next.untilMs - now;
        await this.sleep(left > 0 ? Math.min(this.t.pollMs, left) : this.t.pollMs);
      } else if (next.kind === 'open') {
        const mine = await this.openLease(ctx, b);
        if (mine) await this.batch(ctx, b, mine);
      } else {
        // The lease says "rebooted" before RebootBroker is called: if this invocation dies right after the
        // call (an API timeout), a rerun sees the reboot instead of rebooting a second time.
        const at = this.now();
        await this.leases.write(b.brokerArn, { ...lease!, rebootedMs: at });
        try {
          await this.mq.send(rebootOnce(b.brokerId));
        } catch (e) {
          if (!answeredRefusal(e)) {
            // No answer (timeout, connection lost, 5xx): the reboot may have been accepted. Never ask again
            // in this invocation; if the pending flag does not clear, the step fails and a rerun decides.
            this.log('testSecret: RebootBroker gave no clear answer; treating it as requested', {
              secret: ctx.secretName,
              error: errorMessage(e),
            });
            myReboot = at;
            await this.sleep(this.t.pollMs);
            continue;
          }
          this.log('testSecret: RebootBroker refused; retrying', { secret: ctx.secretName, error: errorMessage(e) });
          await this.leases.write(b.brokerArn, { ...lease!, rebootedMs: 0 });
          await this.sleep(this.t.pollMs);
          continue;
        }
        myReboot = at;
        this.log('testSecret: broker reboot requested (once for this cycle)', { secret: ctx.secretName, broker: b.name });
        await this.sleep(this.t.pollMs);
      }
    }
  }

  private decide(
    lease: RebootLease | undefined,
    token: string,
    now: number,
  ): { kind: 'open' } | { kind: 'reboot' } | { kind: 'wait'; why: string; untilMs: number } {
    if (!lease || lease.closed) return { kind: 'open' };
    if (lease.rebootedMs === 0) {
      if (now > lease.rebootAtMs + this.t.leaseStaleMs) return { kind: 'open' };
      if (lease.owner !== token)
        return { kind: 'wait', why: 'another rotation of this broker owns the reboot lease', untilMs: lease.rebootAtMs + this.t.pollMs };
      if (now >= lease.rebootAtMs) return { kind: 'reboot' };
      return { kind: 'wait', why: 'gathering the rotations of this broker before the one reboot', untilMs: lease.rebootAtMs };
    }
    // The lease's reboot was requested; RebootBroker is asynchronous, so it may not have started yet.
    if (now - lease.rebootedMs < this.t.rebootStartGraceMs)
      return { kind: 'wait', why: 'the reboot of this cycle has not started yet', untilMs: lease.rebootedMs + this.t.rebootStartGraceMs };
    return { kind: 'open' };
  }

  /**
   * Our lease, still gathering, while our change was applied by another reboot (maintenance, an
   * operator): close it, so rotations waiting on it decide at once instead of waiting for it to go stale.
   */
  private async closeLeaseIfMine(ctx: RotationContext, b: ResolvedBroker): Promise<void> {
    const lease = await this.leases.read(b.brokerArn);
    if (lease?.owner !== ctx.token || lease.rebootedMs !== 0 || lease.closed) return;
    await this.leases.write(b.brokerArn, { ...lease, closed: true });
    this.log('testSecret: applied by another reboot; closed our reboot lease', { secret: ctx.secretName });
  }

  /** Writes the lease, waits, reads it back: owned only if our value survived. */
  private async openLease(ctx: RotationContext, b: ResolvedBroker): Promise<RebootLease | undefined> {
    const openedMs = this.now();
    const mine: RebootLease = { openedMs, rebootAtMs: openedMs + this.t.gatherMs, owner: ctx.token, rebootedMs: 0 };
    await this.leases.write(b.brokerArn, mine);
    await this.sleep(this.t.settleMs);
    const back = await this.leases.read(b.brokerArn);
    if (back?.owner === mine.owner && back.openedMs === mine.openedMs) {
      this.log('testSecret: took the reboot lease of this cycle', {
        secret: ctx.secretName,
        rebootAt: new Date(mine.rebootAtMs).toISOString(),
      });
      return mine;
    }
    this.log('testSecret: another rotation took the reboot lease; joining it', { secret: ctx.secretName });
    return undefined;
  }

  /**
   * Prepares the partner user of every other pair of the broker that has no rotation in progress, so
   * this cycle's one reboot applies it and those secrets' own rotations need no reboot. Best effort:
   * a pair it cannot prepare rotates as usual later (and may need a reboot of its own).
   */
  private async batch(ctx: RotationContext, b: ResolvedBroker, lease: RebootLease): Promise<void> {
    for (const c of ctx.broker.credentials) {
      if (c.secretArn === ctx.credential.secretArn || !c.partnerUsername) continue;
      try {
        const meta = await this.sm.send(new DescribeSecretCommand({ SecretId: c.secretArn }));
        const versions = Object.entries(meta.VersionIdsToStages ?? {});
        if (!meta.RotationEnabled || versions.some(([, s]) => s.includes('AWSPENDING') && !s.includes('AWSCURRENT'))) continue;
        const currentVersionId = versions.find(([, s]) => s.includes('AWSCURRENT'))?.[0];
        const current = parseCredentials(
          (await this.sm.send(new GetSecretValueCommand({ SecretId: c.secretArn, VersionStage: 'AWSCURRENT' }))).SecretString,
          'AWSCURRENT',
        );
        const partner = pendingUserOf(c, current.username, meta.Name ?? c.secretArn);
        const arn = c.brokerUserSecretArns?.[partner];
        if (!arn || !currentVersionId) continue;
        const password = this.newPassword();
        const value: BrokerUserSecret = { username: partner, password, preparedFor: currentVersionId };
        await this.sm.send(
          new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: randomUUID(), SecretString: JSON.stringify(value) }),
        );
        await this.updateUser(b, partner, password, await this.describeUser(b, partner));
        // That pair's own rotation may have started meanwhile and written its password between our two
        // writes: the broker must end with what the broker-user secret (CloudFormation's source) holds.
        const now = await this.brokerUserSecret(arn);
        if (now?.password && now.password !== password)
          await this.updateUser(b, partner, now.password, await this.describeUser(b, partner));
        this.log("testSecret: prepared the next rotation of another pair for this cycle's reboot", {
          secret: ctx.secretName,
          user: partner,
          cycle: lease.openedMs,
        });
      } catch (e) {
        this.log('testSecret: could not prepare another pair; it will rotate on its own', {
          secret: ctx.secretName,
          other: c.secretArn,
          error: errorMessage(e),
        });
      }
    }
  }

  private proved(ctx: RotationContext, b: ResolvedBroker, r: ProbeResult): void {
    if (r.outcome === 'ok') {
      this.log('testSecret: the pending user logs in', { secret: ctx.secretName, user: ctx.pending.username });
      return;
    }
    if (r.outcome === 'unreachable') {
      throw new BrokerUnreachableError(
        `testSecret: could not connect to broker ${b.name} (${r.detail}); nothing was changed, rerun the rotation`,
      );
    }
    throw new Error(
      `testSecret: ${ctx.pending.username} has no pending change but refuses the AWSPENDING password (${r.detail}); the broker holds another password. ` +
        'Rerun the rotation: setSecret records the password again',
    );
  }

  private async updateUser(broker: ResolvedBroker, username: string, password: string, described: DescribeUserResponse): Promise<void> {
    // Console access and groups stay as they are (or as a pending change from a deploy sets them).
    const consoleAccess = described.Pending?.ConsoleAccess ?? described.ConsoleAccess;
    const groups = described.Pending?.Groups ?? described.Groups;
    await this.mq.send(
      new UpdateUserCommand({
        BrokerId: broker.brokerId,
        Username: username,
        Password: password,
        ConsoleAccess: consoleAccess,
        Groups: groups,
      }),
    );
  }

  private async describeUser(broker: ResolvedBroker, username: string): Promise<DescribeUserResponse> {
    try {
      return await this.mq.send(new DescribeUserCommand({ BrokerId: broker.brokerId, Username: username }));
    } catch (e) {
      if (e instanceof NotFoundException) {
        throw new Error(
          `user ${username} does not exist on broker ${broker.name}; deploy the stack (it declares both users of every pair)`,
          { cause: e },
        );
      }
      throw e;
    }
  }

  private async brokerUserSecret(arn: string): Promise<BrokerUserSecret | undefined> {
    try {
      const out = await this.sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSCURRENT' }));
      return JSON.parse(out.SecretString ?? '{}') as BrokerUserSecret;
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return undefined;
      throw e;
    }
  }

  private brokerUserSecretArn(credential: CredentialTarget, username: string, secretName: string): string {
    const arn = credential.brokerUserSecretArns?.[username];
    if (!arn)
      throw new Error(`secret ${secretName}: no broker-user secret for ${username} in the function's configuration; deploy the stack`);
    return arn;
  }

  private mayReboot(broker: BrokerTarget): boolean {
    return broker.allowReboot ?? broker.deploymentMode !== 'SINGLE_INSTANCE';
  }

  /** Id, ARN and STOMP endpoints from the environment, or (ActiveMQ brokers that depend on the function) by name. */
  private resolve(broker: BrokerTarget): Promise<ResolvedBroker> {
    const key = broker.brokerId ?? broker.brokerName ?? '';
    let found = this.resolved.get(key);
    if (!found) {
      found = this.lookUp(broker);
      found.catch(() => this.resolved.delete(key));
      this.resolved.set(key, found);
    }
    return found;
  }

  private async lookUp(broker: BrokerTarget): Promise<ResolvedBroker> {
    let brokerId = broker.brokerId;
    let brokerArn = broker.brokerArn;
    if (!brokerId || !brokerArn) {
      for await (const page of paginateListBrokers({ client: this.mq }, {})) {
        const hit = page.BrokerSummaries?.find((s) => (brokerId ? s.BrokerId === brokerId : s.BrokerName === broker.brokerName));
        if (hit) {
          brokerId = hit.BrokerId;
          brokerArn = hit.BrokerArn;
          break;
        }
      }
      if (!brokerId || !brokerArn)
        throw new Error(`no Amazon MQ broker named ${broker.brokerName ?? broker.brokerId} in this account and region`);
    }
    let stompEndpoints = endpointList(broker.stompEndpoints);
    if (!stompEndpoints.length) {
      const d = await this.mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
      stompEndpoints = (d.BrokerInstances ?? []).flatMap((i) => i.Endpoints ?? []).filter((e) => e.startsWith('stomp+ssl://'));
    }
    return { brokerId, brokerArn, stompEndpoints, name: broker.brokerName ?? brokerId };
  }
}
