import type { Baseline } from './baseline';
import {
  checkProtection,
  formatProtectionBlocked,
  formatUnusedUnlock,
  isProtectedBaseline,
  type ProtectionChange,
  type ProtectionResult,
  type ProtectionUnlock,
} from './protection-guard';
import {
  checkReplacements,
  consequence,
  formatUnused,
  howToAllow,
  isDestructive,
  isGuarded,
  replacingProperties,
  type GuardResult,
  type ReplacementAllowance,
} from './replacement-guard';
import { diffEnvironment, type EnvironmentDiff, type ResourceChange, type StackTemplates } from './template-diff';

export type ReviewFormat = 'text' | 'md';

/** What the review knows about one environment. */
export interface EnvironmentReview {
  readonly environment: string;
  /** Protected in the baseline (unless unlocked) or in the config: the guard applies. */
  readonly protected: boolean;
  /** Where the base came from, e.g. `origin/main` or `HEAD`. */
  readonly base: string;
  readonly diff: EnvironmentDiff;
  readonly guard: GuardResult;
  /** Changes to the protection itself, read from the baseline (lib/review/protection-guard.ts). */
  readonly protection?: ProtectionResult;
}

/**
 * The review of one environment against its baseline: protection read from the baseline, the
 * replacement guard applied when the baseline or the config is protected (and not unlocked).
 * `npm run review` and the tests build it the same way.
 */
export function reviewEnvironment(
  config: {
    readonly environment: string;
    readonly protected: boolean;
    readonly unlock: readonly ProtectionUnlock[];
    readonly allowReplacement: readonly ReplacementAllowance[];
  },
  baseline: Baseline,
  head: StackTemplates,
): EnvironmentReview {
  const protection = checkProtection(config, {
    environment: baseline.environment,
    protected: isProtectedBaseline(baseline.templates),
    snapshotsInWorkingTree: baseline.snapshotsInWorkingTree,
  });
  // A renamed environment has no baseline of its own: its stacks are all new.
  const diff = diffEnvironment(baseline.environment === config.environment ? baseline.templates : {}, head);
  return {
    environment: config.environment,
    protected: protection.protected,
    base: baseline.ref,
    diff,
    guard: checkReplacements(diff, config.allowReplacement),
    protection,
  };
}

/**
 * The review of an environment that is protected in the baseline but that no config synthesizes
 * any more (its config was deleted): blocked, with no unlock possible; undefined when the baseline
 * is not protected.
 */
export function removedEnvironmentReview(environment: string, templates: StackTemplates, base: string): EnvironmentReview | undefined {
  if (!isProtectedBaseline(templates)) return undefined;
  const removed: ProtectionChange = {
    kind: 'protection',
    field: `config (no config/*.json has "environment": "${environment}")`,
    text: `removes the config of protected environment ${environment}; first set "protected": false with "unlock": [{ "change": "protection", ... }] and deploy that, then remove the config`,
  };
  const diff = diffEnvironment(templates, {});
  return {
    environment,
    protected: true,
    base,
    diff,
    guard: checkReplacements(diff, []),
    protection: { protected: true, baselineProtected: true, changes: [removed], blocked: [removed], unused: [] },
  };
}

/** Marks the pull-request comment so that CI updates it instead of adding another. */
export const COMMENT_MARKER = '<!-- mq-platform-review -->';

/** Most detail lines shown per property; the snapshot diff has the rest. */
const MAX_DETAILS = 8;
/** Added or removed stateless resources of one type are counted, not listed, above this. */
const MAX_LISTED = 3;

interface Item {
  readonly strong: boolean;
  readonly text: string;
  readonly sub: readonly string[];
}

/** The review of every environment, as plain text or as a Markdown pull-request comment. */
export function renderReview(reviews: readonly EnvironmentReview[], format: ReviewFormat): string {
  const md = format === 'md';
  const out: string[] = [];
  if (md) out.push(COMMENT_MARKER, '## mq-platform change review', '');
  else out.push('mq-platform change review', '');
  for (const r of reviews) out.push(...renderEnvironment(r, md), '');
  if (md)
    out.push(
      '<sub>`npm run review` compares a fresh offline synth with the committed snapshots (test/snapshots/&lt;env&gt;/). See docs/review.md.</sub>',
    );
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** What synth refuses: a blocked protection change, a stale unlock, and in a protected environment a blocked change or a stale allowance. */
export function hasBlocked(reviews: readonly EnvironmentReview[]): boolean {
  return reviews.some(
    (r) =>
      (r.protection?.blocked.length ?? 0) > 0 ||
      (r.protection?.unused.length ?? 0) > 0 ||
      (r.protected && (r.guard.blocked.length > 0 || r.guard.unused.length > 0)),
  );
}

/** Protection changes come first: they decide whether anything below is guarded. */
function protectionLines(r: EnvironmentReview, md: boolean): string[] {
  const bold = (s: string) => (md ? `**${s}**` : s);
  const out: string[] = [];
  for (const c of r.protection?.changes ?? []) {
    const text = `PROTECTION ${c.field}: ${c.text}`;
    const sub = c.unlockedBy
      ? [`unlocked by unlock[${c.unlockedBy.index}]: "${c.unlockedBy.unlock.reason}"`]
      : [bold(`BLOCKED: ${formatProtectionBlocked(c).replace(`${c.field}: ${c.text}. `, '')}`)];
    out.push(md ? `- ${bold(text)}` : `!! ${text}`, ...sub.map((s) => (md ? `  - ${s}` : `      ${s}`)));
  }
  for (const u of r.protection?.unused ?? [])
    out.push(md ? `- ${bold(`STALE ${formatUnusedUnlock(u)}`)}` : `!! STALE ${formatUnusedUnlock(u)}`);
  return out.length ? [...out, ''] : out;
}

function renderEnvironment(r: EnvironmentReview, md: boolean): string[] {
  const bold = (s: string) => (md ? `**${s}**` : s);
  const where = (c: ResourceChange) => (md ? `(\`${c.stack}\`)` : `[${c.stack}]`);
  const code = (s: string) => (md ? `\`${s}\`` : s);
  const title = `${r.environment}${r.protected ? ' (protected)' : ''}`;
  const head = md ? [`### ${title}`] : [title, '='.repeat(title.length)];
  const changes = r.diff.changes;
  if (changes.length === 0 && r.diff.addedStacks.length === 0 && r.diff.removedStacks.length === 0) {
    return [...head, ...protectionLines(r, md), `No changes against ${code(r.base)}.`, ...unusedNotes(r)];
  }

  const count = (k: ResourceChange['kind']) => changes.filter((c) => c.kind === k).length;
  const destructive = r.guard.guarded.length;
  const blocked = r.protected ? r.guard.blocked.length : 0;
  const totals = `${count('replaced')} replaced, ${count('updated')} updated, ${count('added')} added, ${count('removed')} removed`;
  const stateful = destructive
    ? bold(
        `${destructive} resource${destructive === 1 ? '' : 's'} replaced, removed or locking clients out${blocked ? ` (${blocked} blocked)` : ''}`,
      ) + '; '
    : '';
  const lines = [...head, ...protectionLines(r, md), `Against ${code(r.base)}: ${stateful}resources ${totals}.`];
  for (const s of r.diff.addedStacks) lines.push(`New stack ${code(s)} (no snapshot in the base).`);
  for (const s of r.diff.removedStacks) lines.push(bold(`Stack ${s} is no longer synthesized: its resources are listed as removed below.`));
  lines.push('');

  const items: Item[] = [];
  for (const g of r.guard.guarded) {
    const c = g.change;
    const sub = [`because ${replacingProperties(c).join('; ')}`, ...otherProperties(c)];
    if (!r.protected) sub.push(`${r.environment} is not protected: this deploys without a guard`);
    else if (g.allowedBy) sub.push(`allowed by allowReplacement[${g.allowedBy.index}]: "${g.allowedBy.allowance.reason}"`);
    else sub.push(bold(`BLOCKED: ${r.environment} is protected; ${howToAllow(c, g.uncovered)}`));
    items.push({ strong: true, text: `${verb(c)} ${consequence(c)} ${where(c)}`, sub });
  }
  const rest = changes.filter((c) => !isGuarded(c));
  for (const c of rest.filter((c) => c.kind === 'replaced' || c.kind === 'updated')) {
    items.push({ strong: false, text: `${verb(c)} ${c.label} ${where(c)}`, sub: c.properties.flatMap(propertyLines) });
  }
  for (const kind of ['added', 'removed'] as const) {
    const of = rest.filter((c) => c.kind === kind);
    const byType = new Map<string, ResourceChange[]>();
    for (const c of of) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
    for (const [type, list] of byType) {
      if (list.length <= MAX_LISTED) {
        for (const c of list)
          items.push({
            strong: false,
            text: `${verb(c)} ${c.label}${c.label.includes(c.type) ? '' : ` (${c.type})`} ${where(c)}`,
            sub: c.movedFrom ? [`replaces ${c.movedFrom} (logical id changed)`] : [],
          });
      } else {
        items.push({ strong: false, text: `${verb(list[0])} ${list.length} × ${type} ${where(list[0])}`, sub: [] });
      }
    }
  }

  for (const it of items) {
    lines.push(md ? `- ${it.strong ? bold(it.text) : it.text}` : `${it.strong ? '!!' : '  '} ${it.text}`);
    for (const s of it.sub) lines.push(md ? `  - ${s}` : `      ${s}`);
  }
  lines.push(...unusedNotes(r));
  return lines;
}

function unusedNotes(r: EnvironmentReview): string[] {
  return r.guard.unused.flatMap((u) => {
    if (r.protected) return ['', `STALE: ${formatUnused(r.environment, u)}.`];
    const what = u.allowance.broker !== undefined ? `broker ${u.allowance.broker}` : `logical id ${u.allowance.logicalId}`;
    return [
      '',
      `Note: allowReplacement[${u.index}] (${what}) allows nothing in this change; remove it once the replacement it was for is deployed.`,
    ];
  });
}

function verb(c: ResourceChange): string {
  if (c.kind === 'updated' && !isDestructive(c) && isGuarded(c)) return 'LOCK-OUT';
  switch (c.kind) {
    case 'added':
      return 'ADD';
    case 'removed':
      return 'REMOVE';
    case 'replaced':
      return 'REPLACE';
    case 'updated':
      return c.properties.some((p) => p.effect === 'may-replace') ? 'UPDATE (may replace)' : 'UPDATE in place';
  }
}

function propertyLines(p: ResourceChange['properties'][number]): string[] {
  const tag = p.effect === 'replace' ? ' (requires replacement)' : p.effect === 'may-replace' ? ' (may require replacement)' : '';
  const details =
    p.details.length > MAX_DETAILS ? [...p.details.slice(0, MAX_DETAILS), `... ${p.details.length - MAX_DETAILS} more`] : p.details;
  const note = p.note ? [`  ${p.note}`] : [];
  if (details.length === 1) return [`${p.name}${tag}: ${details[0]}`, ...note];
  return [`${p.name}${tag}:`, ...details.map((d) => `  ${d}`), ...note];
}

/** The in-place properties of a replaced resource, after the replacing ones. */
function otherProperties(c: ResourceChange): string[] {
  return c.properties.filter((p) => p.effect !== 'replace' && p.effect !== 'may-replace').flatMap(propertyLines);
}
