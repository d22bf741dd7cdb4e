import { consequence, howToAllow, isDestructive, replacingProperties, type GuardResult } from './replacement-guard';
import type { EnvironmentDiff, ResourceChange } from './template-diff';

export type ReviewFormat = 'text' | 'md';

/** What the review knows about one environment. */
export interface EnvironmentReview {
  readonly environment: string;
  readonly protected: boolean;
  /** Where the base came from, e.g. `origin/main` or `HEAD`. */
  readonly base: string;
  readonly diff: EnvironmentDiff;
  readonly guard: GuardResult;
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
  if (md) out.push('<sub>`npm run review` compares a fresh offline synth with the committed snapshots (test/snapshots/&lt;env&gt;/). See docs/review.md.</sub>');
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

export function hasBlocked(reviews: readonly EnvironmentReview[]): boolean {
  return reviews.some((r) => r.protected && r.guard.blocked.length > 0);
}

function renderEnvironment(r: EnvironmentReview, md: boolean): string[] {
  const bold = (s: string) => (md ? `**${s}**` : s);
  const where = (c: ResourceChange) => (md ? `(\`${c.stack}\`)` : `[${c.stack}]`);
  const code = (s: string) => (md ? `\`${s}\`` : s);
  const title = `${r.environment}${r.protected ? ' (protected)' : ''}`;
  const head = md ? [`### ${title}`] : [title, '='.repeat(title.length)];
  const changes = r.diff.changes;
  if (changes.length === 0 && r.diff.addedStacks.length === 0 && r.diff.removedStacks.length === 0) {
    return [...head, `No changes against ${code(r.base)}.`, ...unusedNotes(r)];
  }

  const count = (k: ResourceChange['kind']) => changes.filter((c) => c.kind === k).length;
  const destructive = r.guard.guarded.length;
  const blocked = r.protected ? r.guard.blocked.length : 0;
  const totals = `${count('replaced')} replaced, ${count('updated')} updated, ${count('added')} added, ${count('removed')} removed`;
  const stateful = destructive ? bold(`${destructive} stateful resource${destructive === 1 ? '' : 's'} replaced or removed${blocked ? ` (${blocked} blocked)` : ''}`) + '; ' : '';
  const lines = [...head, `Against ${code(r.base)}: ${stateful}resources ${totals}.`];
  for (const s of r.diff.addedStacks) lines.push(`New stack ${code(s)} (no snapshot in the base).`);
  for (const s of r.diff.removedStacks) lines.push(bold(`Stack ${s} is no longer synthesized: its resources are listed as removed below.`));
  lines.push('');

  const items: Item[] = [];
  for (const g of r.guard.guarded) {
    const c = g.change;
    const sub = [`because ${replacingProperties(c).join('; ')}`, ...otherProperties(c)];
    if (!r.protected) sub.push(`${r.environment} is not protected: this deploys without a guard`);
    else if (g.allowedBy) sub.push(`allowed by allowReplacement[${g.allowedBy.index}]: "${g.allowedBy.allowance.reason}"`);
    else sub.push(bold(`BLOCKED: ${r.environment} is protected; ${howToAllow(c)}`));
    items.push({ strong: true, text: `${verb(c)} ${consequence(c)} ${where(c)}`, sub });
  }
  const rest = changes.filter((c) => !isDestructive(c));
  for (const c of rest.filter((c) => c.kind === 'replaced' || c.kind === 'updated')) {
    items.push({ strong: false, text: `${verb(c)} ${c.label} ${where(c)}`, sub: c.properties.flatMap(propertyLines) });
  }
  for (const kind of ['added', 'removed'] as const) {
    const of = rest.filter((c) => c.kind === kind);
    const byType = new Map<string, ResourceChange[]>();
    for (const c of of) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
    for (const [type, list] of byType) {
      if (list.length <= MAX_LISTED) {
        for (const c of list) items.push({ strong: false, text: `${verb(c)} ${c.label}${c.label.includes(c.type) ? '' : ` (${c.type})`} ${where(c)}`, sub: c.movedFrom ? [`replaces ${c.movedFrom} (logical id changed)`] : [] });
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
    const what = u.allowance.broker !== undefined ? `broker ${u.allowance.broker}` : `logical id ${u.allowance.logicalId}`;
    return ['', `Note: allowReplacement[${u.index}] (${what}) allows nothing in this change; remove it once the replacement it was for is deployed.`];
  });
}

function verb(c: ResourceChange): string {
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
  const details = p.details.length > MAX_DETAILS ? [...p.details.slice(0, MAX_DETAILS), `... ${p.details.length - MAX_DETAILS} more`] : p.details;
  if (details.length === 1) return [`${p.name}${tag}: ${details[0]}`];
  return [`${p.name}${tag}:`, ...details.map((d) => `  ${d}`)];
}

/** The in-place properties of a replaced resource, after the replacing ones. */
function otherProperties(c: ResourceChange): string[] {
  return c.properties.filter((p) => p.effect !== 'replace' && p.effect !== 'may-replace').flatMap(propertyLines);
}
