import type { EnvironmentDiff, ResourceChange } from './template-diff';

/** One entry of the config's `allowReplacement`. */
export interface ReplacementAllowance {
  /** A broker of the environment: allows its broker, key and secrets to be replaced or removed. */
  readonly broker?: string;
  /** Any other stateful resource, by logical id (e.g. a subnet of the network stack). */
  readonly logicalId?: string;
  readonly reason: string;
}

export interface GuardedChange {
  readonly change: ResourceChange;
  /** The allowance that lets it through, if any; its index in `allowReplacement`. */
  readonly allowedBy?: { readonly index: number; readonly allowance: ReplacementAllowance };
}

export interface GuardResult {
  /** Replacements or removals of stateful resources, allowed or not. */
  readonly guarded: readonly GuardedChange[];
  readonly blocked: readonly GuardedChange[];
  /** Allowances that match nothing in this diff (stale after a deploy: remove them). */
  readonly unused: ReadonlyArray<{ readonly index: number; readonly allowance: ReplacementAllowance }>;
}

/** A change that destroys state: a stateful resource replaced (or possibly replaced) or removed. */
export function isDestructive(c: ResourceChange): boolean {
  if (!c.stateful) return false;
  return c.kind === 'removed' || c.kind === 'replaced' || c.properties.some((p) => p.effect === 'may-replace');
}

/** Which destructive changes of a diff the allowances let through. */
export function checkReplacements(diff: EnvironmentDiff, allowances: readonly ReplacementAllowance[]): GuardResult {
  const used = new Set<number>();
  const guarded = diff.changes.filter(isDestructive).map((change): GuardedChange => {
    const index = allowances.findIndex((a) => (a.broker !== undefined && a.broker === change.broker) || (a.logicalId !== undefined && a.logicalId === change.logicalId));
    if (index < 0) return { change };
    used.add(index);
    return { change, allowedBy: { index, allowance: allowances[index] } };
  });
  return {
    guarded,
    blocked: guarded.filter((g) => !g.allowedBy),
    unused: allowances.map((allowance, index) => ({ index, allowance })).filter((a) => !used.has(a.index)),
  };
}

/** What happens to the resource, in the words the review and the guard use. */
export function consequence(c: ResourceChange): string {
  const what = c.stateful?.noun ?? 'resource';
  const loss = c.stateful?.loss ?? '';
  if (c.kind === 'removed') {
    if (c.movedTo) return `${c.label} will be deleted and recreated as ${c.movedTo} (its logical id changes): ${loss}`;
    return c.retained
      ? `${c.label} will be removed from the stack; DeletionPolicy Retain keeps the ${what} in the account, orphaned and no longer managed`
      : `${c.label} will be deleted: ${loss}`;
  }
  const verb = c.kind === 'replaced' ? 'will be deleted and recreated' : 'may be deleted and recreated';
  const retained = c.retained ? ` (UpdateReplacePolicy Retain leaves the old ${what} in the account, orphaned, instead of deleting it)` : '';
  return `${c.label} ${verb}: ${loss}${retained}`;
}

/** The properties that cause a replacement, e.g. `DeploymentMode ("A" → "B")`. */
export function replacingProperties(c: ResourceChange): string[] {
  if (c.kind === 'removed') return [c.movedTo ? `logical id ${c.logicalId} → ${c.movedTo}` : 'removed from the config'];
  return c.properties
    .filter((p) => p.effect === 'replace' || p.effect === 'may-replace')
    .map((p) => `${p.name}${p.effect === 'may-replace' ? ' (may replace)' : ''}: ${p.via ? `references ${p.via}, which is replaced` : p.details.join('; ')}`);
}

/** The line that tells how to allow a blocked change. */
export function howToAllow(c: ResourceChange): string {
  const entry = c.broker ? `{ "broker": "${c.broker}", "reason": "<why losing it is acceptable>" }` : `{ "logicalId": "${c.logicalId}", "reason": "<why losing it is acceptable>" }`;
  return `to allow it, add to the config: "allowReplacement": [${entry}], then run \`npx jest -u\` and review the snapshot diff`;
}

/** The guard's error text for a protected environment, one paragraph per blocked change. */
export function formatBlocked(environment: string, blocked: readonly GuardedChange[]): string {
  const lines = blocked.map(({ change: c }) =>
    [`${c.stack}: ${consequence(c)}.`, `  because: ${replacingProperties(c).join('; ')}`, `  ${environment} is a protected environment; ${howToAllow(c)}.`].join('\n'),
  );
  return lines.join('\n');
}
