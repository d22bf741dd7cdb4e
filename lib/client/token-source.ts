import { MqPlatformError } from './errors';

/** A bearer token (JWT) and when it stops being valid. Never logged. */
export interface AccessToken {
  readonly token: string;
  /** @default - the token's `exp` claim, else never */
  readonly expiresAt?: Date;
}

/** Gets a new token: from STS (IAM), an identity provider's token endpoint (OAuth 2.0), ... */
export type TokenFetcher = () => Promise<AccessToken>;

export interface TokenSourceOptions {
  /**
   * Refresh this long before the token expires, so that a connection gets its new token (and a
   * reconnect a valid one) before the broker would refuse the old one.
   * @default 60000, or a fifth of the token's lifetime when that is shorter
   */
  readonly refreshBeforeMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Caches the current token and fetches a new one when it nears expiry. One fetch at a time:
 * concurrent callers share it.
 */
export class TokenSource {
  private current?: { token: AccessToken; fetchedAt: number };
  private inFlight?: Promise<AccessToken>;
  private readonly now: () => number;

  constructor(
    private readonly fetcher: TokenFetcher,
    private readonly options: TokenSourceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The cached token while it is fresh, else a new one. */
  async get(): Promise<AccessToken> {
    if (this.current && this.msUntilRefresh() > 0) return this.current.token;
    return this.refresh();
  }

  /** Fetches a new token now (for example after the broker refused the cached one). */
  async refresh(): Promise<AccessToken> {
    this.inFlight ??= (async () => {
      try {
        const fetched = await this.fetcher();
        if (!fetched.token) throw new MqPlatformError('auth', 'the token source returned an empty token');
        const token = { token: fetched.token, expiresAt: fetched.expiresAt ?? jwtExpiry(fetched.token) };
        this.current = { token, fetchedAt: this.now() };
        return token;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Milliseconds until the cached token should be replaced; 0 when there is none or it is due. Infinity when it never expires. */
  msUntilRefresh(): number {
    const c = this.current;
    if (!c) return 0;
    const expires = c.token.expiresAt?.getTime();
    if (expires === undefined) return Infinity;
    const lifetime = Math.max(0, expires - c.fetchedAt);
    const margin = Math.min(this.options.refreshBeforeMs ?? 60000, lifetime / 5);
    return Math.max(0, expires - margin - this.now());
  }
}

/** The JWT's claims, or undefined when it is not a JWT (signature not checked: the broker does that). */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** When the JWT expires (`exp`), or undefined. */
export function jwtExpiry(token: string): Date | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
}

/** The JWT's subject (`sub`): for an STS token, the caller's role ARN. */
export function jwtSubject(token: string): string | undefined {
  const sub = jwtClaims(token)?.sub;
  return typeof sub === 'string' ? sub : undefined;
}
