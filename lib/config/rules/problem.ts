/** One thing wrong with a config: where, what was given, and what is allowed. */
export interface Problem {
  /** Path in the config, for example `brokers[1].engineVersion`. */
  readonly path: string;
  /** The offending value as given (undefined when missing). */
  readonly value: unknown;
  /** What is wrong and what is allowed, for example `is not accepted; allowed: 3.13, 4.2`. */
  readonly message: string;
  /** Id of the rule that found it. */
  readonly rule: string;
  /** A warning does not stop synth (an adjustable quota, for example). @default 'error' */
  readonly severity?: 'error' | 'warning';
}

export function formatProblem(p: Problem): string {
  const value = p.value === undefined ? '(missing)' : JSON.stringify(p.value);
  return `${p.path}: ${value} ${p.message}`;
}

/** Joins a config path: `at('brokers', 1, 'name')` gives `brokers[1].name`. */
export function at(...parts: ReadonlyArray<string | number>): string {
  return parts.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${part}` : part;
  }, '');
}

export function list(values: readonly unknown[]): string {
  return values.length ? values.join(', ') : '(none)';
}

/** Parses "a.b.c.d/n"; undefined when it is not an IPv4 CIDR. */
export function parseIpv4Cidr(cidr: string): { address: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { address, prefix };
}
