import type { BrokerDraft } from '../resolve';
import type { BrokerConfig, MqPlatformConfig } from '../schema';
import type { Problem } from './problem';

/** How a rule reports a finding: the config path, the value found, and what is wrong and allowed. */
export type Report = (path: string, value: unknown, message: string, severity?: 'error' | 'warning') => void;

/** What a broker rule may look at besides the broker itself. */
export interface BrokerRuleContext {
  readonly config: MqPlatformConfig;
  /** Index of the broker in `brokers`, for paths. */
  readonly index: number;
  /** The broker resolved once (defaults, names, rotation window, alarm list): rules read it, never re-resolve. */
  readonly resolved: BrokerDraft;
}

/** What an environment rule may look at besides the config: its brokers resolved once. */
export interface EnvironmentRuleContext {
  /** Per entry of `brokers`: the resolved broker, or undefined when the entry did not parse. */
  readonly brokers: ReadonlyArray<BrokerDraft | undefined>;
}

export interface BrokerRule {
  readonly id: string;
  /** The page the rule comes from. */
  readonly source: string;
  check(broker: BrokerConfig, ctx: BrokerRuleContext): Problem[];
}

export interface EnvironmentRule {
  readonly id: string;
  readonly source: string;
  check(config: MqPlatformConfig, ctx: EnvironmentRuleContext): Problem[];
}

/** Builds a broker rule whose findings all carry its id. */
export function brokerRule(
  id: string,
  source: string,
  check: (b: BrokerConfig, ctx: BrokerRuleContext, report: Report) => void,
): BrokerRule {
  return {
    id,
    source,
    check(b, ctx) {
      const problems: Problem[] = [];
      check(b, ctx, (path, value, message, severity) =>
        problems.push({ path, value, message, rule: id, ...(severity === 'warning' ? { severity } : {}) }),
      );
      return problems;
    },
  };
}

/** Builds an environment rule whose findings all carry its id. */
export function environmentRule(
  id: string,
  source: string,
  check: (c: MqPlatformConfig, report: Report, ctx: EnvironmentRuleContext) => void,
): EnvironmentRule {
  return {
    id,
    source,
    check(c, ctx) {
      const problems: Problem[] = [];
      check(
        c,
        (path, value, message, severity) =>
          problems.push({ path, value, message, rule: id, ...(severity === 'warning' ? { severity } : {}) }),
        ctx,
      );
      return problems;
    },
  };
}
