import { z } from 'zod';
import { AUTHENTICATION_RULES } from './rules/authentication-rules';
import { BROKER_RULES } from './rules/broker-rules';
import { CONSUMER_RULES } from './rules/consumer-rules';
import { DEFINITIONS_RULES } from './rules/definitions-rules';
import { CONFIGURATION_RULES } from './rules/configuration-rules';
import { ENVIRONMENT_RULES } from './rules/environment-rules';
import { LDAP_RULES } from './rules/ldap-rules';
import { MONITORING_BROKER_RULES, MONITORING_ENVIRONMENT_RULES } from './rules/monitoring-rules';
import { at, formatProblem, list, type Problem } from './rules/problem';
import { REPLICA_RULES } from './rules/replica-rules';
import { completeBroker, resolveBroker, resolveConfig, type BrokerDraft, type ResolvedBroker, type ResolvedConfig } from './resolve';
import { BrokerSchema, ConfigSchema, type BrokerConfig, type MqPlatformConfig } from './schema';

/** Thrown when a config has problems; the message lists every one, one per line. */
export class ConfigValidationError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly Problem[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the config:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'ConfigValidationError';
  }
}

/**
 * Checks a parsed JSON config: shape first (types, enums, unknown keys), then every rule of the
 * tables in ./rules on whatever parsed, so that one run reports all problems at once.
 */
const ALL_ENVIRONMENT_RULES = [...ENVIRONMENT_RULES, ...MONITORING_ENVIRONMENT_RULES];
const ALL_BROKER_RULES = [
  ...BROKER_RULES,
  ...MONITORING_BROKER_RULES,
  ...LDAP_RULES,
  ...AUTHENTICATION_RULES,
  ...CONSUMER_RULES,
  ...DEFINITIONS_RULES,
  ...CONFIGURATION_RULES,
  ...REPLICA_RULES,
];

export interface ValidationResult {
  /** The config, when it has no error (warnings allowed). */
  readonly config?: MqPlatformConfig;
  /** The environment plan of a config without errors, its warnings included. */
  readonly plan?: ResolvedConfig;
  /** Errors: structure errors and rule errors of every part that parsed, in file order. */
  readonly problems: Problem[];
  /** Findings that do not stop synth (adjustable quotas, ...), shown as synth warnings. */
  readonly warnings: Problem[];
}

/**
 * Parse, resolve, check, in two passes that never hide each other. Pass 1 checks the structure
 * (types, enums, unknown keys). Pass 2 resolves each broker once and runs every rule on what
 * parsed: each field that parsed is kept even when a sibling did not, so a type error in one field
 * hides no rule finding in another field or broker. A rule that needs a field that did not parse is
 * skipped (its structure error is already reported), and a rule finding at or under the path of a
 * structure error is dropped as a repeat. A config without errors comes back with its plan.
 */
export function validateConfig(raw: unknown): ValidationResult {
  const parsed = ConfigSchema.safeParse(raw);
  const structure: Problem[] = parsed.success ? [] : parsed.error.issues.flatMap((i) => fromZodIssue(i, raw));

  const partial = (parsed.success ? parsed.data : salvage(ConfigSchema as unknown as SchemaNode, raw)) as MqPlatformConfig | undefined;
  const rawBrokers: unknown[] = Array.isArray((raw as { brokers?: unknown })?.brokers) ? (raw as { brokers: unknown[] }).brokers : [];
  const findings: Problem[] = [];
  const run = (check: () => Problem[]) => {
    try {
      findings.push(...check());
    } catch (e) {
      // Only a config with structure errors may lack what a rule reads; otherwise it is our bug.
      if (structure.length === 0) throw e;
    }
  };
  let drafts: Array<BrokerDraft | undefined> = [];
  if (partial && typeof partial === 'object') {
    // Brokers keep their index (paths) even when one did not parse at all.
    const brokers = rawBrokers.map((b, i) =>
      parsed.success ? parsed.data.brokers[i] : (salvage(BrokerSchema as unknown as SchemaNode, b) as BrokerConfig | undefined),
    );
    const config = { ...partial, brokers: brokers as BrokerConfig[] } as MqPlatformConfig;
    const frequency = config.rotation?.frequency;
    drafts = brokers.map((b) => {
      if (!b || typeof b !== 'object') return undefined;
      try {
        return resolveBroker(b, config.environment, { frequency, monitoring: config.monitoring });
      } catch (e) {
        if (structure.length === 0) throw e;
        return undefined; // a part did not parse; rules that need the draft are skipped below
      }
    });
    for (const rule of ALL_ENVIRONMENT_RULES) run(() => rule.check(config, { brokers: drafts }));
    brokers.forEach((b, index) => {
      if (!b || typeof b !== 'object') return;
      const resolved = drafts[index] as BrokerDraft;
      for (const rule of ALL_BROKER_RULES) run(() => rule.check(b, { config, index, resolved }));
    });
  }
  const covered = (path: string) =>
    structure.some((s) => path === s.path || path.startsWith(`${s.path}.`) || path.startsWith(`${s.path}[`));
  const fromRules = findings.filter((f) => !covered(f.path));
  const problems = sortProblems([...structure, ...fromRules.filter((f) => f.severity !== 'warning')]);
  const warnings = sortProblems(fromRules.filter((f) => f.severity === 'warning'));
  if (!parsed.success || problems.length > 0) return { problems, warnings };
  // The rules leave every broker a rotation window and every client one peer; should one still
  // lack them, that is a problem reported like the others, never a throw at synth.
  const planned: ResolvedBroker[] = [];
  drafts.forEach((d, index) => {
    const b = d && completeBroker(d);
    if (b) planned.push(b);
    else
      problems.push({
        rule: 'plan',
        path: at('brokers', index),
        value: parsed.data.brokers[index]?.name,
        message: 'cannot be planned: no rotation window, or a client without cidr or securityGroupId',
      });
  });
  if (problems.length > 0) return { problems: sortProblems(problems), warnings };
  return { config: parsed.data, plan: resolveConfig(parsed.data, planned, warnings.map(formatProblem)), problems, warnings };
}

/**
 * What parses of `value`: the whole when it parses, else for an object each field that parses on
 * its own (the others left out), for an array each element in place; undefined when nothing does.
 */
function salvage(schema: SchemaNode | undefined, value: unknown): unknown {
  const whole = schema?.safeParse?.(value);
  if (!schema || whole?.success) return whole?.data;
  let s: SchemaNode | undefined = schema;
  while (s?.def?.type === 'optional' || s?.def?.type === 'default' || s?.def?.type === 'nullable') s = s.def.innerType;
  const discriminator = s?.def?.type === 'union' ? s.def.discriminator : undefined;
  if (s && discriminator && value !== null && typeof value === 'object') {
    // A discriminated union (network): the option its discriminator names, field by field.
    const d = (value as Record<string, unknown>)[discriminator];
    const option = s.options?.find((o) => o.shape?.[discriminator]?.def?.values?.includes(d));
    return option ? salvage(option, value) : undefined;
  }
  if (s?.def?.type === 'object' && s.shape && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(s.shape)) {
      const v = salvage(field, (value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  const element = s?.element;
  if (s?.def?.type === 'array' && Array.isArray(value)) return value.map((v) => salvage(element, v));
  return undefined;
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
    case 'invalid_type': {
      const expected = `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
      return [{ rule, path, value, message: value === undefined ? `is required; allowed: ${expected}` : `is not ${expected}` }];
    }
    default:
      return [{ rule, path, value, message: issue.message }];
  }
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
}

/** The parts of a zod 4 schema object that knownKeys walks (zod exposes them untyped). */
interface SchemaNode {
  readonly safeParse?: (value: unknown) => { readonly success: boolean; readonly data?: unknown };
  readonly def?: {
    readonly type?: string;
    readonly innerType?: SchemaNode;
    readonly discriminator?: string;
    readonly values?: readonly unknown[];
  };
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
