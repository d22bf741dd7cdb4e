import type { BrokerConfig, MqPlatformConfig } from '../schema';
import type { Problem } from './problem';

/** What a broker rule may look at besides the broker itself. */
export interface BrokerRuleContext {
  readonly config: MqPlatformConfig;
  /** Index of the broker in `brokers`, for paths. */
  readonly index: number;
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
  check(config: MqPlatformConfig): Problem[];
}
