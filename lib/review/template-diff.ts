import type { ResourceImpact, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { TAG_KEYS } from '../contract/tags';
import { configurationDataChange, configurationNote } from './configuration-changes';
import { lockOutRule, statefulFacts, usersLockedOut, type StatefulFacts } from './update-behavior';

/** The parts of a CloudFormation template the review reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly [attribute: string]: unknown;
}

/** The templates of one environment, by stack name. */
export type StackTemplates = Readonly<Record<string, CfnTemplate>>;

/**
 * What CloudFormation does for a property change, as @aws-cdk/cloudformation-diff (the engine of
 * `cdk diff`) reads it from the CloudFormation resource specification ("Update requires"):
 * - `replace`: CloudFormation creates a new resource and deletes the old one.
 * - `may-replace`: replacement in some cases.
 * - `in-place`: updated, same resource.
 */
export type Effect = 'replace' | 'may-replace' | 'in-place';

export interface PropertyChange {
  /** Top-level property (`DeploymentMode`) or resource attribute (`DeletionPolicy`). */
  readonly name: string;
  readonly effect: Effect;
  /** What changed inside it, one short line each (`"A" → "B"`, `+ {...}`, `- {...}`). */
  readonly details: readonly string[];
  /** Set when the text is unchanged but a resource it references is replaced: that resource's label. */
  readonly via?: string;
  /**
   * Set when the change, though in place, locks clients out (lib/review/update-behavior.ts
   * LOCK_OUT_RULES): what happens to them, with `{clients}` where the broker goes.
   */
  readonly lockOut?: string;
  /** What else a reviewer must know, e.g. that a configuration revision waits for a reboot. */
  readonly note?: string;
}

export type ChangeKind = 'added' | 'removed' | 'replaced' | 'updated';

export interface ResourceChange {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** How a reviewer knows it: `broker orders-prod`, `secret mq-platform/prod/orders/app`, ... */
  readonly label: string;
  /** The mq-platform broker it belongs to (its `mq-platform:broker` tag), if any. */
  readonly broker?: string;
  readonly stateful?: StatefulFacts;
  readonly properties: readonly PropertyChange[];
  /** Removed: DeletionPolicy Retain; replaced: UpdateReplacePolicy Retain. The old resource stays in the account, orphaned. */
  readonly retained: boolean;
  /** The logical id changed: the resource that replaces this one (removed) or that this one replaces (added). */
  readonly movedTo?: string;
  readonly movedFrom?: string;
}

export interface EnvironmentDiff {
  readonly changes: readonly ResourceChange[];
  /** Stacks only in the base or only in the head. */
  readonly addedStacks: readonly string[];
  readonly removedStacks: readonly string[];
}

const ATTRIBUTES = [
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'DependsOn',
  'Condition',
  'Metadata',
  'UpdatePolicy',
  'CreationPolicy',
] as const;

/**
 * Compares two sets of templates of one environment resource by resource (a logical id is the
 * identity of a resource: a new id is a delete and a create). Each stack is diffed by
 * @aws-cdk/cloudformation-diff, which classifies every property change with CloudFormation's
 * "Update requires" and propagates a replacement to what references it inside the stack. What it
 * lacks is added here: propagation across stacks (a property reading another stack's output of a
 * replaced resource changes as well), logical-id moves of stateful resources, and the labels and
 * stateful facts the review and the replacement guard use.
 */
export function diffEnvironment(base: StackTemplates, head: StackTemplates): EnvironmentDiff {
  const stacks = [...new Set([...Object.keys(base), ...Object.keys(head)])];
  const replaced = new Set<string>(); // `${stack}/${logicalId}`
  const changedOutputs = new Map<string, string>(); // `${stack}/${outputName}` -> what changes it
  let results: ResourceChange[] = [];

  // Iterate until no replacement adds another one through references (in or across stacks).
  for (let round = 0; round < 20; round++) {
    results = stacks.flatMap((stack) => diffStack(stack, base[stack] ?? {}, head[stack] ?? {}, base, replaced, changedOutputs));
    const before = replaced.size + changedOutputs.size;
    for (const c of results) if (c.kind === 'replaced') replaced.add(`${c.stack}/${c.logicalId}`);
    for (const stack of stacks) {
      for (const [name, output] of Object.entries(head[stack]?.Outputs ?? {})) {
        const old = base[stack]?.Outputs?.[name];
        if (!old) continue;
        const key = `${stack}/${name}`;
        const cause = sameJson(old.Value, output.Value) ? firstReplacedReference(output.Value, stack, replaced, changedOutputs) : key;
        if (cause && !changedOutputs.has(key)) changedOutputs.set(key, cause);
      }
    }
    if (replaced.size + changedOutputs.size === before) break;
  }

  return {
    changes: results,
    addedStacks: stacks.filter((s) => !base[s] && head[s]),
    removedStacks: stacks.filter((s) => base[s] && !head[s]),
  };
}

function diffStack(
  stack: string,
  base: CfnTemplate,
  head: CfnTemplate,
  allBase: StackTemplates,
  replaced: ReadonlySet<string>,
  changedOutputs: ReadonlyMap<string, string>,
): ResourceChange[] {
  const oldResources = base.Resources ?? {};
  const newResources = head.Resources ?? {};
  const changes: ResourceChange[] = [];
  const stackLabel = (key: string) => {
    const [s, id] = splitKey(key);
    const r = allBase[s]?.Resources?.[id];
    return r ? describeResource(id, r).label : id;
  };

  // The diff engine sees a value that reads a changed output of another stack as changed.
  const marked = markChangedOutputs(head, changedOutputs);
  const diff = sameJson(base, marked) ? undefined : templateDiff(base, marked);

  for (const [id, after] of Object.entries(newResources)) {
    const before = oldResources[id];
    if (!before) {
      changes.push(change(stack, id, after, 'added', []));
      continue;
    }
    if (before.Type !== after.Type) {
      changes.push(
        change(stack, id, after, 'replaced', [{ name: 'Type', effect: 'replace', details: [`${before.Type} → ${after.Type}`] }], before),
      );
      continue;
    }
    const updates = diff?.resources.get(id)?.propertyUpdates ?? {};
    const properties: PropertyChange[] = [];
    const oldProps = before.Properties ?? {};
    const newProps = after.Properties ?? {};
    for (const prop of union(Object.keys(oldProps), Object.keys(newProps))) {
      const effect = effectOf(updates[prop]?.changeImpact);
      const a = oldProps[prop];
      const b = newProps[prop];
      if (!sameJson(a, b)) {
        const rule = lockOutRule(after.Type, prop, a, b);
        const users = rule && prop === 'Users' ? ` (${usersLockedOut(a, b).join(', ')})` : '';
        const note = configurationNote(after.Type, prop, newProps.EngineType);
        properties.push({
          name: prop,
          effect,
          details: configurationDataChange(after.Type, prop, a, b) ?? describeValueChange(a, b),
          ...(rule ? { lockOut: rule.effect('{clients}') + users } : {}),
          ...(note ? { note } : {}),
        });
        continue;
      }
      // Unchanged text that references a replaced resource: the engine propagates the replacing
      // references; one it does not list is updated in place (cdk diff leaves those out).
      const via = firstReplacedReference(b, stack, replaced, changedOutputs);
      if (!via && !updates[prop]) continue;
      const label = via ? stackLabel(via) : 'a resource';
      properties.push({ name: prop, effect, details: [`references ${label}, which is replaced`], ...(via ? { via: label } : {}) });
    }
    for (const attr of ATTRIBUTES) {
      if (!sameJson(before[attr], after[attr]))
        properties.push({ name: attr, effect: 'in-place', details: describeValueChange(before[attr], after[attr]) });
    }
    if (properties.length === 0) continue;
    const replacing = properties.some((p) => p.effect === 'replace');
    changes.push(change(stack, id, after, replacing ? 'replaced' : 'updated', properties, before));
  }
  for (const [id, before] of Object.entries(oldResources)) {
    if (!newResources[id]) changes.push(change(stack, id, before, 'removed', []));
  }

  // A stateful resource whose logical id changed: pair the removal with the addition by name.
  const removed = changes.filter((c) => c.kind === 'removed');
  const added = changes.filter((c) => c.kind === 'added');
  for (const r of removed) {
    const name = identityOf(oldResources[r.logicalId]);
    const twin = name && added.find((a) => a.type === r.type && !a.movedFrom && identityOf(newResources[a.logicalId]) === name);
    if (!twin) continue;
    changes[changes.indexOf(r)] = { ...r, movedTo: twin.logicalId };
    changes[changes.indexOf(twin)] = { ...twin, movedFrom: r.logicalId };
  }
  return changes;
}

/** The engine's resource impact of one property change. */
function effectOf(impact: ResourceImpact | undefined): Effect {
  return impact === 'WILL_REPLACE' ? 'replace' : impact === 'MAY_REPLACE' ? 'may-replace' : 'in-place';
}

/** @aws-cdk/cloudformation-diff, loaded on the first template that differs (it costs ~250 ms, its specification ~1 s). */
function templateDiff(base: CfnTemplate, head: CfnTemplate): TemplateDiff {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: a synth whose templates match the baseline never loads it
  const { diffTemplate } = require('@aws-cdk/cloudformation-diff') as typeof import('@aws-cdk/cloudformation-diff');
  return diffTemplate(structuredClone(base), structuredClone(head));
}

/**
 * A copy of the head where every `Fn::GetStackOutput` of a changed output reads a different output
 * name, as cloudformation-diff itself marks references to resources replaced in the same stack.
 */
function markChangedOutputs(head: CfnTemplate, changedOutputs: ReadonlyMap<string, string>): CfnTemplate {
  if (changedOutputs.size === 0) return head;
  const mark = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(mark);
    if (!isPlainObject(v)) return v;
    const out = v['Fn::GetStackOutput'];
    if (isPlainObject(out) && changedOutputs.has(`${String(out.StackName)}/${String(out.OutputName)}`)) {
      return { 'Fn::GetStackOutput': { ...out, OutputName: `${String(out.OutputName)} (changed)` } };
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mark(x)]));
  };
  return mark(head) as CfnTemplate;
}

function change(
  stack: string,
  logicalId: string,
  resource: CfnResource,
  kind: ChangeKind,
  properties: PropertyChange[],
  before?: CfnResource,
): ResourceChange {
  const d = describeResource(logicalId, resource);
  const old = before ?? resource;
  const retained =
    kind === 'removed' ? old.DeletionPolicy === 'Retain' : kind === 'replaced' ? old.UpdateReplacePolicy === 'Retain' : false;
  return {
    stack,
    logicalId,
    type: resource.Type,
    kind,
    label: d.label,
    broker: d.broker ?? (before ? describeResource(logicalId, before).broker : undefined),
    stateful: statefulFacts(resource.Type),
    properties,
    retained,
  };
}

/** A reviewer's name for a resource, and the broker it belongs to. */
export function describeResource(logicalId: string, r: CfnResource): { label: string; broker?: string } {
  const p = r.Properties ?? {};
  const tags = Array.isArray(p.Tags) ? (p.Tags as Array<{ Key?: unknown; Value?: unknown }>) : [];
  const tag = (key: string) => tags.find((t) => t.Key === key)?.Value;
  const broker = typeof tag(TAG_KEYS.broker) === 'string' ? (tag(TAG_KEYS.broker) as string) : undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const noun = statefulFacts(r.Type)?.noun;
  let name: string | undefined;
  switch (r.Type) {
    case 'AWS::AmazonMQ::Broker':
      name = str(p.BrokerName);
      break;
    case 'AWS::SecretsManager::Secret':
      name = str(p.Name);
      break;
    case 'AWS::KMS::Key':
      name = broker ? `of broker ${broker}` : undefined;
      break;
    case 'AWS::KMS::Alias':
      return { label: `KMS alias ${str(p.AliasName) ?? logicalId}`, broker };
    case 'AWS::EC2::SecurityGroup':
      return { label: broker ? `security group of broker ${broker} (${logicalId})` : `security group ${logicalId}`, broker };
    case 'AWS::EC2::VPC':
      name = str(p.CidrBlock);
      break;
    case 'AWS::EC2::Subnet':
      name = [str(p.AvailabilityZone), str(p.CidrBlock)].filter(Boolean).join(' ') || undefined;
      break;
    case 'AWS::Logs::LogGroup':
      name = str(p.LogGroupName);
      break;
  }
  const what = noun ?? r.Type;
  return { label: name ? `${what} ${name} (${logicalId})` : `${what} ${logicalId}`, broker };
}

/** The physical name a resource keeps across a logical id change, for pairing. */
function identityOf(r: CfnResource | undefined): string | undefined {
  const p = r?.Properties ?? {};
  for (const key of ['BrokerName', 'Name', 'AliasName', 'LogGroupName', 'CidrBlock']) {
    if (typeof p[key] === 'string') return `${key}=${p[key]}`;
  }
  return undefined;
}

/** Short lines saying what changed inside a value. */
export function describeValueChange(before: unknown, after: unknown): string[] {
  if (before === undefined) return [`set to ${short(after)}`];
  if (after === undefined) return [`removed (was ${short(before)})`];
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = before.map((v) => JSON.stringify(v));
    const b = after.map((v) => JSON.stringify(v));
    const lines = [
      ...a.filter((v) => !b.includes(v)).map((v) => `- ${short(JSON.parse(v))}`),
      ...b.filter((v) => !a.includes(v)).map((v) => `+ ${short(JSON.parse(v))}`),
    ];
    return lines.length ? lines : ['order changed'];
  }
  if (isPlainObject(before) && isPlainObject(after) && !isIntrinsic(before) && !isIntrinsic(after)) {
    return union(Object.keys(before), Object.keys(after))
      .filter((k) => !sameJson(before[k], after[k]))
      .flatMap((k) => describeValueChange(before[k], after[k]).map((line) => `${k}: ${line}`));
  }
  return [`${short(before)} → ${short(after)}`];
}

function short(v: unknown): string {
  const text = JSON.stringify(compactIntrinsics(v)) ?? 'undefined';
  return text.length > 140 ? `${text.slice(0, 137)}...` : text;
}

/** `{"Ref": "X"}` reads as `Ref(X)`, GetAtt as `X.Arn`, another stack's output as `Stack:Output`. */
function compactIntrinsics(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(compactIntrinsics);
  if (!isPlainObject(v)) return v;
  if (isIntrinsic(v)) {
    const [key, arg] = Object.entries(v)[0];
    if (key === 'Ref' && typeof arg === 'string') return `Ref(${arg})`;
    if (key === 'Fn::GetAtt' && Array.isArray(arg)) return `${arg.join('.')}`;
    if (key === 'Fn::GetStackOutput' && isPlainObject(arg)) return `${String(arg.StackName)}:${String(arg.OutputName)}`;
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compactIntrinsics(x)]));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isIntrinsic(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/**
 * The first replaced resource (`stack/logicalId`) a value depends on: `Ref`, `Fn::GetAtt`,
 * `${X}` in `Fn::Sub`, or `Fn::GetStackOutput` of another stack's output that changes.
 */
function firstReplacedReference(
  value: unknown,
  stack: string,
  replaced: ReadonlySet<string>,
  changedOutputs: ReadonlyMap<string, string>,
): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const hit = firstReplacedReference(v, stack, replaced, changedOutputs);
      if (hit) return hit;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  const ref = value.Ref;
  if (typeof ref === 'string' && replaced.has(`${stack}/${ref}`)) return `${stack}/${ref}`;
  const getAtt = value['Fn::GetAtt'];
  const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  if (typeof target === 'string' && replaced.has(`${stack}/${target}`)) return `${stack}/${target}`;
  const sub = value['Fn::Sub'];
  const subText = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  for (const m of subText?.matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g) ?? []) {
    if (replaced.has(`${stack}/${m[1]}`)) return `${stack}/${m[1]}`;
  }
  const out = value['Fn::GetStackOutput'];
  if (
    isPlainObject(out) &&
    typeof out.StackName === 'string' &&
    typeof out.OutputName === 'string' &&
    changedOutputs.has(`${out.StackName}/${out.OutputName}`)
  ) {
    return changedOutputs.get(`${out.StackName}/${out.OutputName}`);
  }
  for (const v of Object.values(value)) {
    const hit = firstReplacedReference(v, stack, replaced, changedOutputs);
    if (hit) return hit;
  }
  return undefined;
}
