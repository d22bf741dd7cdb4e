import {
  DEFAULT_VHOST,
  EMPTY_DEFINITIONS,
  keyOf,
  stableJson,
  type Arguments,
  type BindingDefinition,
  type ExchangeDefinition,
  type PolicyDefinition,
  type QueueDefinition,
  type RabbitMqDefinitions,
} from './definitions';
import { ManagementApiError } from './management-client';
import type { DefinitionsClient, LiveBinding, LiveExchange, LivePolicy, LiveQueue } from './definitions-client';

/**
 * Applies a definitions document to a broker, and compares it with what the broker holds. The one
 * code path of the custom resource, `mq-platform drift` and the integration tests:
 * - reads first, then writes only what differs (a second apply with no change writes nothing);
 * - updates in place what RabbitMQ can update (policies, vhost limits), refuses what it cannot
 *   (a queue's or exchange's type, durability or arguments) before any write;
 * - deletes only what the previous document declared and this one does not, never a queue that
 *   holds messages unless the previous document said `deleteWithMessages` for it (it deletes an
 *   empty one with `if-empty`, so a message published meanwhile still stops the delete): such a
 *   queue, and its vhost, are kept and reported (`kept`), never a failed deploy.
 */

export type DefinitionKind = 'vhost' | 'exchange' | 'queue' | 'binding' | 'policy' | 'limit' | 'user' | 'permission';

/** A difference between the document and the broker. */
export interface DefinitionDifference {
  readonly kind: DefinitionKind;
  /** `vhost` or `vhost/name` (bindings: `vhost/source -> destination (key)`). */
  readonly name: string;
  /** missing: declared, absent; different: declared, differs; extra: on the broker, not declared. */
  readonly state: 'missing' | 'different' | 'extra';
  /** What differs, `field: live -> declared`. */
  readonly detail?: string;
  /** A difference RabbitMQ cannot change in place. */
  readonly immutable?: boolean;
}

/** What the broker holds in the vhosts of interest. */
export interface LiveDefinitions {
  /** Every vhost of the broker. */
  readonly vhosts: ReadonlySet<string>;
  readonly exchanges: ReadonlyMap<string, LiveExchange>;
  readonly queues: ReadonlyMap<string, LiveQueue>;
  readonly bindings: readonly LiveBinding[];
  readonly policies: ReadonlyMap<string, LivePolicy>;
  /** Per vhost read. */
  readonly limits: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** The vhosts whose contents were read. */
  readonly readVhosts: readonly string[];
}

export interface ApplyResult {
  /** Writes made, in order (`METHOD path`). */
  readonly writes: readonly string[];
  /** What was created, updated or deleted, one line each. */
  readonly changes: readonly string[];
  /** What was left on the broker on purpose: removed queues that hold messages (and their vhosts); everything on a Delete event. */
  readonly kept: readonly string[];
}

/** Thrown before any write when the document asks for what RabbitMQ cannot do in place. */
export class DefinitionsRefusedError extends Error {
  constructor(
    readonly refusals: readonly string[],
    what = 'definitions not applied (nothing was changed)',
  ) {
    super(`${what}: ${refusals.join('; ')}`);
    this.name = 'DefinitionsRefusedError';
  }
}

/** Every vhost the document (and the previous one) touches. */
export function vhostsOf(...docs: RabbitMqDefinitions[]): string[] {
  const set = new Set<string>();
  for (const d of docs) {
    d.vhosts.forEach((v) => set.add(v));
    [...d.exchanges, ...d.queues, ...d.bindings, ...d.policies, ...d.limits].forEach((x) => set.add(x.vhost));
  }
  return [...set].sort();
}

/** Reads what the broker holds in the given vhosts (absent vhosts hold nothing). */
export async function readLive(client: DefinitionsClient, vhosts: readonly string[]): Promise<LiveDefinitions> {
  const all = new Set(await client.vhostNames());
  const present = vhosts.filter((v) => all.has(v));
  const exchanges = new Map<string, LiveExchange>();
  const queues = new Map<string, LiveQueue>();
  const bindings: LiveBinding[] = [];
  const policies = new Map<string, LivePolicy>();
  const limits = new Map<string, Record<string, number>>();
  for (const v of present) {
    const [ex, qs, bs, ps, ls] = await Promise.all([
      client.exchanges(v),
      client.queues(v),
      client.bindings(v),
      client.policies(v),
      client.vhostLimits(v),
    ]);
    ex.forEach((e) => exchanges.set(keyOf.exchange(e), e));
    qs.forEach((q) => queues.set(keyOf.queue(q), q));
    bindings.push(...bs.filter((b) => b.source !== '')); // the default exchange's implicit bindings
    ps.forEach((p) => policies.set(keyOf.policy(p), p));
    limits.set(v, ls);
  }
  return { vhosts: all, exchanges, queues, bindings, policies, limits, readVhosts: present };
}

const liveQueueType = (q: LiveQueue) => String(q.type ?? q.arguments?.['x-queue-type'] ?? 'classic');
const withoutType = (a: Arguments | undefined) => {
  const { 'x-queue-type': _t, ...rest } = a ?? {};
  return rest;
};
const liveBindingKey = (b: LiveBinding) =>
  keyOf.binding({
    vhost: b.vhost,
    source: b.source,
    destination: b.destination,
    destinationType: b.destination_type,
    routingKey: b.routing_key,
    arguments: b.arguments ?? {},
  });
const bindingName = (b: BindingDefinition) =>
  `${b.vhost}/${b.source} -> ${b.destinationType === 'exchange' ? 'exchange ' : ''}${b.destination} (${JSON.stringify(b.routingKey)})`;
const show = (v: unknown) => (typeof v === 'string' ? v : stableJson(v));

function fieldDiffs(pairs: Array<[string, unknown, unknown]>): string[] {
  return pairs
    .filter(([, live, want]) => stableJson(live) !== stableJson(want))
    .map(([f, live, want]) => `${f}: ${show(live)} -> ${show(want)}`);
}

function exchangeDiff(e: ExchangeDefinition, live: LiveExchange): string[] {
  return fieldDiffs([
    ['type', live.type, e.type],
    ['durable', live.durable, true],
    ['auto_delete', live.auto_delete, false],
    ['internal', live.internal, e.internal],
    ['arguments', live.arguments ?? {}, e.arguments],
  ]);
}

function queueDiff(q: QueueDefinition, live: LiveQueue): string[] {
  return fieldDiffs([
    ['type', liveQueueType(live), q.type],
    ['durable', live.durable, q.durable],
    ['auto_delete', live.auto_delete, false],
    ['arguments', withoutType(live.arguments), q.arguments],
  ]);
}

function policyDiff(p: PolicyDefinition, live: LivePolicy): string[] {
  return fieldDiffs([
    ['pattern', live.pattern, p.pattern],
    ['apply-to', live['apply-to'], p.applyTo],
    ['priority', live.priority, p.priority],
    ['definition', live.definition, p.definition],
  ]);
}

/**
 * Differences between the document and the broker: what is missing or differs, and what the broker
 * holds in the document's vhosts that the document does not declare (extra), leaving out what the
 * broker and Amazon MQ own (the default and amq.* exchanges, the AWS-DEFAULT-* policies and the
 * limits of "/" that Amazon MQ creates, https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-defaults.html,
 * exclusive and auto-delete queues).
 */
export function compareDefinitions(desired: RabbitMqDefinitions, live: LiveDefinitions): DefinitionDifference[] {
  const out: DefinitionDifference[] = [];
  const wanted = new Set(desired.vhosts);
  for (const v of desired.vhosts) if (!live.vhosts.has(v)) out.push({ kind: 'vhost', name: v, state: 'missing' });
  for (const v of live.vhosts) if (v !== DEFAULT_VHOST && !wanted.has(v)) out.push({ kind: 'vhost', name: v, state: 'extra' });

  const read = new Set(live.readVhosts);
  const seen = { exchange: new Set<string>(), queue: new Set<string>(), binding: new Set<string>(), policy: new Set<string>() };
  // Exchanges, queues and policies: missing, or different (exchanges and queues only by re-creation).
  const compareNamed = <D extends { vhost: string; name: string }, L>(
    kind: 'exchange' | 'queue' | 'policy',
    items: readonly D[],
    key: (d: D) => string,
    liveItems: ReadonlyMap<string, L>,
    diff: (d: D, l: L) => string[],
    immutable: boolean,
  ) => {
    for (const item of items) {
      const k = key(item);
      seen[kind].add(k);
      const l = liveItems.get(k);
      const name = `${item.vhost}/${item.name}`;
      if (!l) out.push({ kind, name, state: 'missing' });
      else {
        const d = diff(item, l);
        if (d.length) out.push({ kind, name, state: 'different', detail: d.join(', '), ...(immutable ? { immutable } : {}) });
      }
    }
  };
  compareNamed('exchange', desired.exchanges, keyOf.exchange, live.exchanges, exchangeDiff, true);
  compareNamed('queue', desired.queues, keyOf.queue, live.queues, queueDiff, true);
  const liveBindings = new Set(live.bindings.map(liveBindingKey));
  for (const b of desired.bindings) {
    const k = keyOf.binding(b);
    seen.binding.add(k);
    if (!liveBindings.has(k)) out.push({ kind: 'binding', name: bindingName(b), state: 'missing' });
  }
  compareNamed('policy', desired.policies, keyOf.policy, live.policies, policyDiff, false);
  const limitVhosts = new Set<string>();
  for (const l of desired.limits) {
    limitVhosts.add(l.vhost);
    const have = live.limits.get(l.vhost) ?? {};
    for (const [name, value] of Object.entries(l.limits)) {
      if (have[name] === undefined) out.push({ kind: 'limit', name: `${l.vhost}/${name}`, state: 'missing', detail: `-> ${value}` });
      else if (have[name] !== value)
        out.push({ kind: 'limit', name: `${l.vhost}/${name}`, state: 'different', detail: `value: ${have[name]} -> ${value}` });
    }
    for (const [name, value] of Object.entries(have))
      if (l.limits[name] === undefined) out.push({ kind: 'limit', name: `${l.vhost}/${name}`, state: 'extra', detail: `${value}` });
  }

  // Extras, only in the vhosts the document names.
  for (const [k, e] of live.exchanges)
    if (read.has(e.vhost) && !seen.exchange.has(k) && e.name !== '' && !e.name.startsWith('amq.'))
      out.push({ kind: 'exchange', name: `${e.vhost}/${e.name}`, state: 'extra' });
  for (const [k, q] of live.queues)
    if (read.has(q.vhost) && !seen.queue.has(k) && !q.exclusive && !q.auto_delete && !q.name.startsWith('amq.'))
      out.push({ kind: 'queue', name: `${q.vhost}/${q.name}`, state: 'extra' });
  for (const b of live.bindings) {
    if (!read.has(b.vhost) || seen.binding.has(liveBindingKey(b))) continue;
    const def = toBindingDefinition(b);
    out.push({ kind: 'binding', name: bindingName(def), state: 'extra' });
  }
  for (const [k, p] of live.policies)
    if (read.has(p.vhost) && !seen.policy.has(k) && !p.name.startsWith('AWS-DEFAULT'))
      out.push({ kind: 'policy', name: `${p.vhost}/${p.name}`, state: 'extra' });
  // Amazon MQ sets its own limits on "/" (rabbitmq-defaults.html): drift only where limits are declared or the vhost is ours.
  for (const [v, have] of live.limits)
    if (!limitVhosts.has(v) && wanted.has(v))
      for (const [name, value] of Object.entries(have))
        out.push({ kind: 'limit', name: `${v}/${name}`, state: 'extra', detail: `${value}` });
  return out;
}

function toBindingDefinition(b: LiveBinding): BindingDefinition {
  return {
    vhost: b.vhost,
    source: b.source,
    destination: b.destination,
    destinationType: b.destination_type,
    routingKey: b.routing_key,
    arguments: b.arguments ?? {},
  };
}

/** One line per difference, for operators (drift, refusals). */
export function formatDifference(d: DefinitionDifference): string {
  const sign = d.state === 'missing' ? '+' : d.state === 'extra' ? '-' : '~';
  const what = d.state === 'missing' ? 'declared, not on the broker' : d.state === 'extra' ? 'on the broker, not declared' : 'differs';
  return `${sign} ${d.kind} ${d.name}: ${what}${d.detail ? ` (${d.detail})` : ''}${d.immutable ? ' [cannot change in place]' : ''}`;
}

export interface ApplyOptions {
  /** What the previous apply declared (the custom resource's old properties): what may be deleted. @default nothing */
  readonly previous?: RabbitMqDefinitions;
  /** Keep everything (a Delete event): report what would have been deleted, delete nothing. @default false */
  readonly keepAll?: boolean;
  /** @default no logging */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Brings the broker to the document. Plans from one read, refuses (throws DefinitionsRefusedError
 * before any write) what RabbitMQ cannot change in place, keeps what would lose messages, then
 * writes in dependency order: vhosts, limits, exchanges, queues, bindings, policies; deletions in
 * the reverse order.
 */
export async function applyDefinitions(
  client: DefinitionsClient,
  desired: RabbitMqDefinitions,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const previous = options.previous ?? EMPTY_DEFINITIONS;
  const live = await readLive(client, vhostsOf(desired, previous));
  const refusals: string[] = [];
  const changes: string[] = [];
  const kept: string[] = [];
  const steps: Array<() => Promise<void>> = [];
  const deletions: Array<() => Promise<void>> = [];
  const start = client.writes.length;

  // Creates and in-place updates.
  for (const v of desired.vhosts)
    if (!live.vhosts.has(v))
      steps.push(async () => {
        await client.putVhost(v);
        await client.ensureOwnPermission(v);
        changes.push(`created vhost ${v}`);
      });
  for (const l of desired.limits) {
    const have = live.limits.get(l.vhost) ?? {};
    for (const [name, value] of Object.entries(l.limits))
      if (have[name] !== value)
        steps.push(
          async () => (await client.putVhostLimit(l.vhost, name, value), void changes.push(`set ${name}=${value} on vhost ${l.vhost}`)),
        );
  }
  for (const e of desired.exchanges) {
    const l = live.exchanges.get(keyOf.exchange(e));
    if (!l)
      steps.push(
        async () => (
          await client.putExchange(e.vhost, e.name, { type: e.type, internal: e.internal, arguments: e.arguments }),
          void changes.push(`created exchange ${e.vhost}/${e.name}`)
        ),
      );
    else {
      const d = exchangeDiff(e, l);
      if (d.length)
        refusals.push(
          `exchange ${e.vhost}/${e.name} differs in what RabbitMQ cannot change in place (${d.join(', ')}); declare it under a new name, or delete it on the broker first`,
        );
    }
  }
  for (const q of desired.queues) {
    const l = live.queues.get(keyOf.queue(q));
    if (!l)
      steps.push(
        async () => (
          await client.putQueue(q.vhost, q.name, { durable: q.durable, arguments: { ...q.arguments, 'x-queue-type': q.type } }),
          void changes.push(`created ${q.type} queue ${q.vhost}/${q.name}`)
        ),
      );
    else {
      const d = queueDiff(q, l);
      if (d.length)
        refusals.push(
          `queue ${q.vhost}/${q.name} differs in what RabbitMQ cannot change in place (${d.join(', ')}); use a policy for limits and TTLs, or declare a new queue and move the consumers`,
        );
    }
  }
  const liveBindings = new Map(live.bindings.map((b) => [liveBindingKey(b), b]));
  for (const b of desired.bindings)
    if (!liveBindings.has(keyOf.binding(b)))
      steps.push(
        async () => (
          await client.postBinding(b.vhost, b.source, b.destinationType, b.destination, b.routingKey, b.arguments),
          void changes.push(`created binding ${bindingName(b)}`)
        ),
      );
  for (const p of desired.policies) {
    const l = live.policies.get(keyOf.policy(p));
    if (!l || policyDiff(p, l).length)
      steps.push(
        async () => (
          await client.putPolicy(p.vhost, p.name, {
            pattern: p.pattern,
            'apply-to': p.applyTo,
            priority: p.priority,
            definition: p.definition,
          }),
          void changes.push(`${l ? 'updated' : 'created'} policy ${p.vhost}/${p.name}`)
        ),
      );
  }

  // Deletions: only what the previous document declared and this one does not.
  /** A deletion; `run` answers false when it kept the thing after all. */
  const drop = (what: string, run: () => Promise<unknown>) => {
    if (options.keepAll) kept.push(what);
    else
      deletions.push(async () => {
        if ((await run()) !== false) changes.push(`deleted ${what}`);
      });
  };
  // A removed queue that holds messages stays (as does its vhost): reported, never a failed deploy,
  // so that a CloudFormation rollback (which applies the old document over the new) cannot get stuck.
  const keptVhosts = new Set<string>();
  const keepQueue = (q: { vhost: string; name: string }, why: string): false => {
    kept.push(
      `queue ${q.vhost}/${q.name} was removed from the config but holds ${why}: kept; drain it and delete it, or declare it again with deleteWithMessages, deploy, then remove it`,
    );
    keptVhosts.add(q.vhost);
    return false;
  };
  const want = {
    vhosts: new Set(desired.vhosts),
    exchanges: new Set(desired.exchanges.map(keyOf.exchange)),
    queues: new Set(desired.queues.map(keyOf.queue)),
    bindings: new Set(desired.bindings.map(keyOf.binding)),
    policies: new Set(desired.policies.map(keyOf.policy)),
  };
  const holds = (q: LiveQueue | undefined) => (q?.messages ?? 0) > 0;
  for (const b of previous.bindings) {
    const l = liveBindings.get(keyOf.binding(b));
    if (!want.bindings.has(keyOf.binding(b)) && l) drop(`binding ${bindingName(b)}`, () => client.deleteBinding(l));
  }
  for (const p of previous.policies)
    if (!want.policies.has(keyOf.policy(p)) && live.policies.has(keyOf.policy(p)))
      drop(`policy ${p.vhost}/${p.name}`, () => client.deletePolicy(p.vhost, p.name));
  const previousQueues = new Map(previous.queues.map((q) => [keyOf.queue(q), q]));
  for (const q of previous.queues) {
    const k = keyOf.queue(q);
    const l = live.queues.get(k);
    if (want.queues.has(k) || !l) continue;
    if (holds(l) && !q.deleteWithMessages && !options.keepAll) {
      keepQueue(q, `${l.messages} message(s)`);
      continue;
    }
    drop(`queue ${q.vhost}/${q.name}`, async () => {
      try {
        await client.deleteQueue(q.vhost, q.name, !q.deleteWithMessages);
      } catch (e) {
        // if-empty: the broker refuses (400) a queue that got a message since the read.
        if (e instanceof ManagementApiError && e.status === 400) return keepQueue(q, 'messages (the broker refused to delete it)');
        throw e;
      }
      return true;
    });
  }
  for (const e of previous.exchanges)
    if (!want.exchanges.has(keyOf.exchange(e)) && live.exchanges.has(keyOf.exchange(e)))
      drop(`exchange ${e.vhost}/${e.name}`, () => client.deleteExchange(e.vhost, e.name));
  for (const l of previous.limits) {
    const now = desired.limits.find((d) => d.vhost === l.vhost)?.limits ?? {};
    const have = live.limits.get(l.vhost) ?? {};
    for (const name of Object.keys(l.limits))
      if (now[name] === undefined && have[name] !== undefined)
        drop(`${name} of vhost ${l.vhost}`, () => client.deleteVhostLimit(l.vhost, name));
  }
  for (const v of previous.vhosts) {
    if (want.vhosts.has(v) || !live.vhosts.has(v)) continue;
    // Deleting a vhost deletes every queue in it, with no if-empty guard: refused while a queue holds
    // messages it may not lose, or one not ours has no known count. Ours go first, each with if-empty.
    const full = [...live.queues.values()].filter((q) => {
      if (q.vhost !== v) return false;
      const ours = previousQueues.get(keyOf.queue(q));
      return ours ? holds(q) && !ours.deleteWithMessages : q.messages !== 0;
    });
    if (full.length && !options.keepAll) {
      kept.push(
        `vhost ${v} was removed from the config but its queue(s) ${full.map((q) => `${q.name} (${q.messages ?? 'count unknown'})`).join(', ')} hold messages: kept; drain them and delete the vhost`,
      );
      continue;
    }
    drop(`vhost ${v}`, async () => {
      // A queue of ours in it was kept after all (a message arrived): the vhost stays with it.
      if (keptVhosts.has(v)) {
        kept.push(`vhost ${v} was removed from the config but keeps a queue that holds messages: kept`);
        return false;
      }
      return client.deleteVhost(v);
    });
  }

  if (refusals.length) throw new DefinitionsRefusedError(refusals);
  for (const step of [...steps, ...deletions]) await step();
  const writes = client.writes.slice(start).map((w) => `${w.method} ${w.path}`);
  options.log?.('definitions applied', { writes: writes.length, changes, kept });
  return { writes, changes, kept };
}

/** What the users custom resource keeps on the broker for one application user (each user of a pair). */
export interface UserExpectation {
  readonly username: string;
  readonly tags: readonly string[];
  readonly permissions: ReadonlyArray<{
    readonly vhost: string;
    readonly configure: string;
    readonly write: string;
    readonly read: string;
  }>;
}

/**
 * Differences between the application users the config declares (both users of every pair) and the
 * broker: a missing user, other tags, a missing, different or extra vhost permission. Users the
 * config does not name (the administrator, others) are not looked at.
 */
export async function compareUsers(client: DefinitionsClient, users: readonly UserExpectation[]): Promise<DefinitionDifference[]> {
  const out: DefinitionDifference[] = [];
  for (const u of users) {
    const live = await client.getUser(u.username);
    if (!live) {
      out.push({ kind: 'user', name: u.username, state: 'missing' });
      continue;
    }
    const tags = fieldDiffs([['tags', [...live.tags].sort(), [...u.tags].sort()]]);
    if (tags.length) out.push({ kind: 'user', name: u.username, state: 'different', detail: tags.join(', ') });
    const have = new Map((await client.userPermissions(u.username)).map((p) => [p.vhost, p]));
    for (const p of u.permissions) {
      const l = have.get(p.vhost);
      const name = `${u.username}@${p.vhost}`;
      if (!l) out.push({ kind: 'permission', name, state: 'missing' });
      else {
        const d = fieldDiffs([
          ['configure', l.configure, p.configure],
          ['write', l.write, p.write],
          ['read', l.read, p.read],
        ]);
        if (d.length) out.push({ kind: 'permission', name, state: 'different', detail: d.join(', ') });
      }
      have.delete(p.vhost);
    }
    for (const v of have.keys()) out.push({ kind: 'permission', name: `${u.username}@${v}`, state: 'extra' });
  }
  return out;
}
