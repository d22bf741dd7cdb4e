import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribeBrokerCommand, ListBrokersCommand, MqClient, PromoteCommand, type DescribeBrokerResponse } from '@aws-sdk/client-mq';
import { parse as parseJsonc } from 'jsonc-parser';
import { CRDR_SOURCES, PROMOTE_MODES, type PromoteMode } from '../amazonmq/crdr';
import { classifyAwsError } from '../client/aws-errors';
import { MqPlatformError } from '../client/errors';
import { brokerName, secretName } from '../contract/names';

/**
 * `mq-platform promote`: promotes the replica of a CRDR pair (brokers[].replica) with the Amazon MQ
 * Promote API, waits until the roles have swapped, and prints what clients change.
 * Sources: CRDR_SOURCES.promote (SWITCHOVER keeps both brokers consistent and needs both Regions;
 * FAILOVER makes the replica available at once, even with the primary Region down),
 * CRDR_SOURCES.promoteApi (POST /v1/brokers/{id}/promote, asynchronous: it answers with the id).
 */

/** The two sides of a pair, read from config/<env>.json (no AWS call). */
export interface CrdrPair {
  readonly environment: string;
  /** The config's short name, e.g. "orders". */
  readonly broker: string;
  /** The Amazon MQ name on both sides, e.g. "orders-prod-dr". */
  readonly brokerName: string;
  /** The config's Region (where the primary was created) and the replica's. */
  readonly regions: readonly [string, string];
  /** Application usernames (their secrets, per Region). */
  readonly usernames: readonly string[];
}

export function crdrPairFromConfig(environment: string, broker: string, cwd: string): CrdrPair {
  const dir = path.join(cwd, 'config');
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    // reported below
  }
  for (const f of files.sort()) {
    let c: { environment?: unknown; region?: unknown; brokers?: unknown };
    try {
      c = parseJsonc(fs.readFileSync(path.join(dir, f), 'utf8')) as typeof c;
    } catch {
      continue;
    }
    if (c?.environment !== environment) continue;
    const b = (Array.isArray(c.brokers) ? c.brokers : []).find((x: { name?: unknown }) => x?.name === broker) as
      { replica?: { region?: unknown }; users?: Array<{ username?: unknown }> } | undefined;
    if (!b)
      throw new MqPlatformError('not-found', `config/${f} has no broker "${broker}"`, { hint: 'use the short name of brokers[].name' });
    if (typeof b.replica?.region !== 'string' || typeof c.region !== 'string') {
      throw new MqPlatformError('usage', `broker ${broker} of ${environment} has no replica (brokers[].replica) to promote`, {
        hint: `see ${CRDR_SOURCES.createReplica}`,
      });
    }
    return {
      environment,
      broker,
      brokerName: brokerName(broker, environment),
      regions: [c.region, b.replica.region],
      usernames: (b.users ?? []).map((u) => String(u.username)),
    };
  }
  throw new MqPlatformError('not-found', `no config/*.json with "environment": "${environment}"`, { hint: 'run from the repository root' });
}

/** One side as DescribeBroker shows it. */
export interface BrokerSide {
  readonly region: string;
  readonly brokerId: string;
  readonly state?: string;
  /** PRIMARY or REPLICA (DataReplicationMetadata.DataReplicationRole). */
  readonly role?: string;
  /** Every endpoint of every instance. */
  readonly endpoints: readonly string[];
}

export interface PromoteDeps {
  /** An Amazon MQ client of a Region. @default new MqClient({ region }) */
  readonly mqClient?: (region: string) => MqClient;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
  /** @default 10000 */
  readonly pollIntervalMs?: number;
  /** @default 30 minutes */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface PromoteResult {
  readonly mode: PromoteMode;
  readonly brokerName: string;
  /** The Region whose broker is primary now. */
  readonly primaryRegion: string;
  readonly primary: BrokerSide;
  /** The former primary, when its Region answered. */
  readonly replica?: BrokerSide;
  /** What clients change. */
  readonly clients: ClientChanges;
}

export interface ClientChanges {
  /** OpenWire failover transport over both Regions, the new primary first. */
  readonly openWireFailoverUrl: string;
  readonly endpoints: { readonly primary: readonly string[]; readonly replica: readonly string[] };
  /** Secrets to read in the new primary's Region (each Region's broker has its own passwords). */
  readonly secrets: ReadonlyArray<{ readonly region: string; readonly name: string }>;
}

export function parseMode(mode: string | undefined): PromoteMode {
  const m = (mode ?? '').toUpperCase();
  if (!(PROMOTE_MODES as readonly string[]).includes(m)) {
    throw new MqPlatformError('usage', `--mode must be switchover or failover, got "${mode ?? ''}"`, {
      hint: 'switchover: consistent, needs both Regions; failover: available at once, may lose what was not replicated',
    });
  }
  return m as PromoteMode;
}

/**
 * The OpenWire failover transport over both Regions' endpoints, the new primary's first. Only the
 * primary accepts clients ("the replica broker ... does not accept client connections"), so a client
 * cycles through the list until the primary answers, and after the next promotion it reconnects to
 * the other Region by itself. randomize=false keeps the order; priorityBackup makes a client that
 * landed on the second Region return to the first once it serves again.
 */
export function openWireFailoverUrl(primary: readonly string[], replica: readonly string[]): string {
  const ssl = (list: readonly string[]) => list.filter((e) => e.startsWith('ssl://'));
  return `failover:(${[...ssl(primary), ...ssl(replica)].join(',')})?randomize=false&priorityBackup=true&maxReconnectAttempts=-1`;
}

export async function promote(pair: CrdrPair, mode: PromoteMode, deps: PromoteDeps): Promise<PromoteResult> {
  const client = memo((region: string) => deps.mqClient?.(region) ?? new MqClient({ region }));
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const poll = deps.pollIntervalMs ?? 10000;
  const timeout = deps.timeoutMs ?? 30 * 60 * 1000;

  // Both sides; in a failover the primary's Region may not answer.
  const sides = await Promise.all(
    pair.regions.map(async (region) => {
      try {
        return await describeSide(client(region), region, pair.brokerName);
      } catch (e) {
        if (mode === 'FAILOVER') {
          deps.log(`${region}: no answer (${(e as Error).message}); a failover does not need it`);
          return undefined;
        }
        const err = classifyAwsError(e, `describing ${pair.brokerName}`, region);
        // A switchover needs both Regions: an unreachable or failing Region is the failover case.
        const regionFault =
          ['network', 'timeout'].includes(err.kind) ||
          ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) >= 500;
        if (!regionFault) throw err;
        throw new MqPlatformError('network', err.message, {
          hint: `a switchover needs both Regions; with ${region} down, run with --mode failover`,
          cause: e,
        });
      }
    }),
  );
  const target = sides.find((s) => s?.role === 'REPLICA');
  if (!target) {
    const seen = sides.map((s, i) => `${pair.regions[i]}: ${s ? `${s.role ?? 'no CRDR role'} (${s.state})` : 'unreachable'}`).join(', ');
    throw new MqPlatformError('not-found', `no replica broker ${pair.brokerName} to promote (${seen})`, {
      hint: 'a promotion may be in progress; run again once both brokers report their roles',
    });
  }
  const other = sides.find((s) => s && s !== target);
  deps.log(`promoting ${pair.brokerName} in ${target.region} (${target.brokerId}) by ${mode}`);
  try {
    await client(target.region).send(new PromoteCommand({ BrokerId: target.brokerId, Mode: mode }));
  } catch (e) {
    throw classifyAwsError(e, `promoting ${pair.brokerName}`, target.region);
  }

  // Promote is asynchronous: wait until the target is PRIMARY (and, in a switchover, the other REPLICA).
  const started = Date.now();
  let now: BrokerSide = target;
  let before: BrokerSide | undefined = other;
  for (;;) {
    await sleep(poll);
    now = await describeSide(client(target.region), target.region, pair.brokerName, target.brokerId);
    if (other) {
      try {
        before = await describeSide(client(other.region), other.region, pair.brokerName, other.brokerId);
      } catch (e) {
        if (mode === 'SWITCHOVER') throw classifyAwsError(e, `describing ${pair.brokerName}`, other.region);
        before = undefined;
      }
    }
    const elapsed = Math.round((Date.now() - started) / 1000);
    deps.log(
      `  ${elapsed}s: ${target.region} ${now.role ?? '-'} ${now.state ?? '-'}${before ? `; ${before.region} ${before.role ?? '-'} ${before.state ?? '-'}` : ''}`,
    );
    const done = now.role === 'PRIMARY' && now.state === 'RUNNING' && (mode === 'FAILOVER' || before?.role === 'REPLICA');
    if (done) break;
    if (Date.now() - started > timeout) {
      throw new MqPlatformError(
        'timeout',
        `${mode.toLowerCase()} of ${pair.brokerName} did not complete in ${Math.round(timeout / 60000)} min`,
        {
          hint:
            mode === 'SWITCHOVER'
              ? 'a switchover needs both Regions and the network between them; if the primary Region is down, run with --mode failover'
              : `check the broker in ${target.region}`,
        },
      );
    }
  }
  return {
    mode,
    brokerName: pair.brokerName,
    primaryRegion: now.region,
    primary: now,
    replica: before,
    clients: {
      openWireFailoverUrl: openWireFailoverUrl(now.endpoints, before?.endpoints ?? other?.endpoints ?? []),
      endpoints: { primary: now.endpoints, replica: before?.endpoints ?? other?.endpoints ?? [] },
      secrets: pair.usernames.map((u) => ({ region: now.region, name: secretName(pair.environment, pair.broker, u) })),
    },
  };
}

/** What an operator reads after a promotion. */
export function renderPromoteResult(r: PromoteResult): string {
  const lines = [
    `${r.mode.toLowerCase()} done: ${r.brokerName} is PRIMARY in ${r.primaryRegion} (${r.primary.brokerId})${r.replica ? `; ${r.replica.region} is REPLICA` : ''}.`,
    '',
    'Clients change:',
    `  1. Endpoints: the primary in ${r.primaryRegion}:`,
    ...r.clients.endpoints.primary.map((e) => `       ${e}`),
    '  2. OpenWire (JMS) brokerURL covering both Regions, new primary first (unchanged by later promotions):',
    `       ${r.clients.openWireFailoverUrl}`,
    `  3. Credentials: each Region's broker has its own passwords; read them in ${r.primaryRegion}:`,
    ...r.clients.secrets.map((s) => `       ${s.name} (${s.region})`),
    '  STOMP, AMQP and other clients without a failover transport switch to the endpoints in 1.',
  ];
  return lines.join('\n');
}

async function describeSide(mq: MqClient, region: string, name: string, id?: string): Promise<BrokerSide> {
  let brokerId = id;
  if (!brokerId) {
    let token: string | undefined;
    do {
      const page = await mq.send(new ListBrokersCommand({ NextToken: token, MaxResults: 100 }));
      brokerId = page.BrokerSummaries?.find((b) => b.BrokerName === name)?.BrokerId;
      token = page.NextToken;
    } while (!brokerId && token);
    if (!brokerId) throw new MqPlatformError('not-found', `no broker ${name} in ${region}`, { hint: 'check --env and the replica Region' });
  }
  const d: DescribeBrokerResponse = await mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
  return {
    region,
    brokerId,
    state: d.BrokerState,
    role: d.DataReplicationMetadata?.DataReplicationRole,
    endpoints: (d.BrokerInstances ?? []).flatMap((i) => i.Endpoints ?? []),
  };
}

function memo<T>(f: (k: string) => T): (k: string) => T {
  const cache = new Map<string, T>();
  return (k) => {
    if (!cache.has(k)) cache.set(k, f(k));
    return cache.get(k)!;
  };
}
