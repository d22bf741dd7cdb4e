import { z } from 'zod';
import { BROKER_RULES } from './rules/broker-rules';
import { ENVIRONMENT_RULES } from './rules/environment-rules';
import { MONITORING_BROKER_RULES, MONITORING_ENVIRONMENT_RULES } from './rules/monitoring-rules';
import { at, formatProblem, list, type Problem } from './rules/problem';
import { completeBroker, resolveBroker, resolveConfig, type BrokerDraft, type ResolvedBroker, type ResolvedConfig } from './resolve';
import { BrokerSchema, ConfigSchema, type BrokerConfig, type MqPlatformConfig } from './schema';

/** Thrown when a config has problems; the message lists every one, one per line. */
export class ConfigValidationError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly Problem[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the config:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Checks a parsed JSON config: shape first (types, enums, unknown keys), then every rule of the
 * tables in ./rules on whatever parsed, so that one run reports all problems at once.
 */
const ALL_ENVIRONMENT_RULES = [...ENVIRONMENT_RULES, ...MONITORING_ENVIRONMENT_RULES];
const ALL_BROKER_RULES = [...BROKER_RULES, ...MONITORING_BROKER_RULES];

/**
 * Parse, resolve, check: the config is parsed, its brokers are resolved once, the rule tables run
 * on them, and a config without problems comes back with its environment plan.
 */
export function validateConfig(raw: unknown): { config?: MqPlatformConfig; plan?: ResolvedConfig; problems: Problem[] } {
  const parsed = ConfigSchema.safeParse(raw);
  const problems: Problem[] = parsed.success ? [] : parsed.error.issues.flatMap((i) => fromZodIssue(i, raw));

  // Rules run on every part that parsed, even when another part did not; unknown keys, already
  // reported, are dropped so that they do not hide the rest of their object.
  const cleaned = parsed.success ? raw : withoutUnknownKeys(raw, parsed.error.issues);
  const top = ConfigSchema.extend({ brokers: z.array(z.unknown()) }).safeParse(cleaned);
  const rawBrokers: unknown[] = Array.isArray((cleaned as { brokers?: unknown })?.brokers) ? (cleaned as { brokers: unknown[] }).brokers : [];
  const brokers = rawBrokers.map((b) => BrokerSchema.safeParse(b));
  let drafts: Array<BrokerDraft | undefined> = [];
  if (top.success) {
    const config = { ...top.data, brokers: rawBrokers as BrokerConfig[] } as MqPlatformConfig;
    const frequency = config.rotation?.frequency;
    drafts = brokers.map((b) => (b.success ? resolveBroker(b.data, config.environment, { frequency, monitoring: config.monitoring }) : undefined));
    for (const rule of ALL_ENVIRONMENT_RULES) problems.push(...rule.check(config, { brokers: drafts }));
    brokers.forEach((b, index) => {
      const resolved = drafts[index];
      if (!b.success || !resolved) return;
      for (const rule of ALL_BROKER_RULES) problems.push(...rule.check(b.data, { config, index, resolved }));
    });
  }
  if (!parsed.success || problems.length > 0) return { problems: sortProblems(problems) };
  // The rules leave every broker a rotation window and every client one peer; should one still
  // lack them, that is a problem reported like the others, never a throw at synth.
  const planned: ResolvedBroker[] = [];
  drafts.forEach((d, index) => {
    const b = d && completeBroker(d);
    if (b) planned.push(b);
    else problems.push({ rule: 'plan', path: at('brokers', index), value: parsed.data.brokers[index]?.name, message: 'cannot be planned: no rotation window, or a client without cidr or securityGroupId' });
  });
  if (problems.length > 0) return { problems: sortProblems(problems) };
  return { config: parsed.data, plan: resolveConfig(parsed.data, planned), problems };
}

/** Stable order: by path as it appears in the file, then message. */
function sortProblems(problems: Problem[]): Problem[] {
  const key = (p: Problem) => p.path.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(4, '0')}]`);
  return problems.sort((a, b) => key(a).localeCompare(key(b)) || a.message.localeCompare(b.message));
}

function fromZodIssue(issue: z.core.$ZodIssue, raw: unknown): Problem[] {
  const path = at(...(issue.path as Array<string | number>));
  const value = valueAt(raw, issue.path as Array<string | number>);
  const rule = 'schema';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(issue.path as Array<string | number>, raw);
      return issue.keys.map((key) => ({
        rule,
        path: at(path, key),
        value: valueAt(value, [key]),
        message: `is not a known field; allowed: ${list(known)}`,
      }));
    }
    case 'invalid_value':
      return [{ rule, path, value, message: `is not accepted; allowed: ${list(issue.values.map(String))}` }];
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) {
        return [{ rule, path, value, message: `is not accepted; allowed: ${list((issue.options as unknown[]).map(String))}` }];
      }
      return [{ rule, path, value, message: 'does not match any allowed form (see config/schema.json)' }];
    case 'invalid_type':
      return [{ rule, path, value, message: value === undefined ? `is required; allowed: a ${issue.expected}` : `is not a ${issue.expected}` }];
    default:
      return [{ rule, path, value, message: issue.message }];
  }
}

function withoutUnknownKeys(raw: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy: unknown = structuredClone(raw);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const target = valueAt(copy, issue.path);
    if (target && typeof target === 'object') for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
  }
  return copy;
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
}

/** The parts of a zod 4 schema object that knownKeys walks (zod exposes them untyped). */
interface SchemaNode {
  readonly def?: { readonly type?: string; readonly innerType?: SchemaNode; readonly discriminator?: string; readonly values?: readonly unknown[] };
  readonly options?: readonly SchemaNode[];
  readonly element?: SchemaNode;
  readonly shape?: Readonly<Record<string, SchemaNode>>;
}

/** The field names the schema allows at a path, to say what an unknown key could have been. */
function knownKeys(path: ReadonlyArray<string | number>, raw: unknown): string[] {
  let schema: SchemaNode | undefined = ConfigSchema as unknown as SchemaNode;
  const pick = (s: SchemaNode | undefined, value: unknown): SchemaNode | undefined => {
    while (s?.def?.type === 'optional' || s?.def?.type === 'default') s = s.def.innerType;
    const discriminator = s?.def?.type === 'union' ? s.def.discriminator : undefined;
    if (s && discriminator) {
      const d = (value as Record<string, unknown> | undefined)?.[discriminator];
      s = s.options?.find((o) => o.shape?.[discriminator]?.def?.values?.includes(d)) ?? s.options?.[0];
    }
    return s;
  };
  for (let i = 0; i < path.length; i++) {
    schema = pick(schema, valueAt(raw, path.slice(0, i)));
    schema = schema?.def?.type === 'array' ? schema.element : schema?.shape?.[path[i]];
  }
  schema = pick(schema, valueAt(raw, path));
  return Object.keys(schema?.shape ?? {});
}
