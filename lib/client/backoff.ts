/** Exponential backoff with jitter between reconnect rounds. */
export interface BackoffOptions {
  /** First delay. @default 200 */
  readonly initialDelayMs?: number;
  /** Cap on any delay. @default 10000 */
  readonly maxDelayMs?: number;
  /** Rounds over all endpoints before giving up; each round tries every endpoint once. @default 5 */
  readonly maxAttempts?: number;
}

/** Delay before round `attempt` (1-based); jitter spreads clients so they do not reconnect in lockstep. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 200;
  const max = options.maxDelayMs ?? 10000;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
