import type { EnvironmentDiff, ResourceChange } from './template-diff';

/**
 * One entry of the config's `allowReplacement`: it names ONE logical resource and, optionally, the
 * one property whose change it unlocks.
 */
export interface ReplacementAllowance {
  /** A broker of the environment: its AWS::AmazonMQ::Broker resource only (its key and secrets need their own entries). */
  readonly broker?: string;
  /** Any other resource, by logical id, as the review names it (a key, a secret, a subnet ...). */
  readonly logicalId?: string;
  /**
   * The property whose change it unlocks (`DeploymentMode`, `GenerateSecretString`), or `removal`
   * for a resource removed or moved to another logical id.
   * @default - every guarded change of that one resource
   */
  readonly property?: string;
  readonly reason: string;
}

/** The `property` of an allowance that lets a resource be removed (or its logical id change). */
export const REMOVAL = 'removal';

export interface GuardedChange {
  readonly change: ResourceChange;
  /** What the allowances must unlock: replacing or locking-out properties, or `removal`. */
  readonly keys: readonly string[];
  /** The allowances that let it through (every key covered); their indexes in `allowReplacement`. */
  readonly allowedBy?: { readonly index: number; readonly allowance: ReplacementAllowance };
  /** Keys no allowance covers. */
  readonly uncovered: readonly string[];
}

export interface GuardResult {
  /** Replacements, removals and lock-outs, allowed or not. */
  readonly guarded: readonly GuardedChange[];
  readonly blocked: readonly GuardedChange[];
  /** Allowances that match nothing in this diff (stale after a deploy): a protected environment refuses them. */
  readonly unused: ReadonlyArray<{ readonly index: number; readonly allowance: ReplacementAllowance }>;
}

/** A change that destroys state: a stateful resource replaced (or possibly replaced) or removed. */
export function isDestructive(c: ResourceChange): boolean {
  if (!c.stateful) return false;
  return c.kind === 'removed' || c.kind === 'replaced' || c.properties.some((p) => p.effect === 'may-replace');
}

/** An in-place change that refuses clients (a regenerated secret value, a disabled key, ...). */
export function isLockOut(c: ResourceChange): boolean {
  return c.kind !== 'removed' && c.properties.some((p) => p.lockOut !== undefined);
}

/** What the guard stops in a protected environment: destructive and lock-out changes. */
export function isGuarded(c: ResourceChange): boolean {
  return isDestructive(c) || isLockOut(c);
}

/** The keys an allowance must unlock for a guarded change. */
export function guardedKeys(c: ResourceChange): string[] {
  if (c.kind === 'removed') return [REMOVAL];
  const keys = c.properties
    .filter((p) => (isDestructive(c) && (p.effect === 'replace' || p.effect === 'may-replace')) || p.lockOut !== undefined)
    .map((p) => p.name);
  return [...new Set(keys)];
}

function names(a: ReplacementAllowance, c: ResourceChange): boolean {
  if (a.logicalId !== undefined) return a.logicalId === c.logicalId;
  return a.broker !== undefined && c.type === 'AWS::AmazonMQ::Broker' && a.broker === c.broker;
}

/** Which guarded changes of a diff the allowances let through, and which allowances are stale. */
export function checkReplacements(diff: EnvironmentDiff, allowances: readonly ReplacementAllowance[]): GuardResult {
  const used = new Set<number>();
  const guarded = diff.changes.filter(isGuarded).map((change): GuardedChange => {
    const keys = guardedKeys(change);
    let first: number | undefined;
    const uncovered = keys.filter((key) => {
      const index = allowances.findIndex((a) => names(a, change) && (a.property === undefined || a.property === key));
      if (index < 0) return true;
      used.add(index);
      first ??= index;
      return false;
    });
    if (uncovered.length > 0 || first === undefined) return { change, keys, uncovered };
    return { change, keys, uncovered, allowedBy: { index: first, allowance: allowances[first] } };
  });
  return {
    guarded,
    blocked: guarded.filter((g) => !g.allowedBy),
    unused: allowances.map((allowance, index) => ({ index, allowance })).filter((a) => !used.has(a.index)),
  };
}

/** Who is locked out: `broker orders` or, for a resource of no broker, its clients. */
function clientsOf(c: ResourceChange): string {
  return c.broker ? `broker ${c.broker}` : `the brokers that use ${c.label}`;
}

/** What happens to the resource, in the words the review and the guard use. */
export function consequence(c: ResourceChange): string {
  if (!isDestructive(c)) {
    const lock = c.properties.filter((p) => p.lockOut).map((p) => p.lockOut!.replace('{clients}', clientsOf(c)));
    return `${c.label} locks clients out: ${lock.join('; ')}`;
  }
  const what = c.stateful?.noun ?? 'resource';
  const loss = c.stateful?.loss ?? '';
  if (c.kind === 'removed') {
    if (c.movedTo) return `${c.label} will be deleted and recreated as ${c.movedTo} (its logical id changes): ${loss}`;
    return c.retained
      ? `${c.label} will be removed from the stack; DeletionPolicy Retain keeps the ${what} in the account, orphaned and no longer managed`
      : `${c.label} will be deleted: ${loss}`;
  }
  const verb = c.kind === 'replaced' ? 'will be deleted and recreated' : 'may be deleted and recreated';
  const retained = c.retained
    ? ` (UpdateReplacePolicy Retain leaves the old ${what} in the account, orphaned, instead of deleting it)`
    : '';
  const lock = c.properties.filter((p) => p.lockOut).map((p) => p.lockOut!.replace('{clients}', clientsOf(c)));
  return `${c.label} ${verb}: ${loss}${retained}${lock.length ? `; and it locks clients out: ${lock.join('; ')}` : ''}`;
}

/** The properties that cause a replacement or a lock-out, e.g. `DeploymentMode ("A" → "B")`. */
export function replacingProperties(c: ResourceChange): string[] {
  if (c.kind === 'removed') return [c.movedTo ? `logical id ${c.logicalId} → ${c.movedTo}` : 'removed from the config'];
  const keys = new Set(guardedKeys(c));
  return c.properties
    .filter((p) => keys.has(p.name))
    .map(
      (p) =>
        `${p.name}${p.effect === 'may-replace' ? ' (may replace)' : ''}: ${p.via ? `references ${p.via}, which is replaced` : p.details.join('; ')}`,
    );
}

/** The allowance entries that would let a guarded change through, one per key. */
export function allowanceEntries(c: ResourceChange, keys: readonly string[] = guardedKeys(c)): string[] {
  const who = c.broker && c.type === 'AWS::AmazonMQ::Broker' ? `"broker": "${c.broker}"` : `"logicalId": "${c.logicalId}"`;
  const why = c.kind === 'removed' || isDestructive(c) ? 'why losing it is acceptable' : 'how its clients get the new credentials';
  return keys.map((k) => `{ ${who}, "property": "${k}", "reason": "<${why}>" }`);
}

/** The line that tells how to allow a blocked change. */
export function howToAllow(c: ResourceChange, keys?: readonly string[]): string {
  return `to allow it, add to the config: "allowReplacement": [${allowanceEntries(c, keys).join(', ')}], then run \`npx jest -u\` and review the snapshot diff`;
}

/** The guard's error text for a protected environment, one paragraph per blocked change. */
export function formatBlocked(environment: string, blocked: readonly GuardedChange[]): string {
  const lines = blocked.map((g) => {
    const c = g.change;
    return [
      `${c.stack}: ${consequence(c)}.`,
      `  because: ${replacingProperties(c).join('; ')}`,
      `  ${environment} is a protected environment; ${howToAllow(c, g.uncovered)}.`,
    ].join('\n');
  });
  return lines.join('\n');
}

/** The guard's error text for an allowance that matches nothing. */
export function formatUnused(environment: string, u: { readonly index: number; readonly allowance: ReplacementAllowance }): string {
  const a = u.allowance;
  const what = a.broker !== undefined ? `broker ${a.broker}` : `logical id ${a.logicalId}`;
  return `allowReplacement[${u.index}] (${what}${a.property ? `, property ${a.property}` : ''}) allows nothing in this change: ${environment} is protected and a stale allowance would let a later change through; remove it (the change it was for is in the baseline)`;
}
