import { MqPlatformError } from './errors';
import type { TokenFetcher } from './token-source';

/** The part of `fetch` the flow uses, so that callers can bring their own (a private CA, a proxy). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface ClientCredentialsOptions {
  /** The identity provider's token endpoint, https://. */
  readonly tokenEndpoint: string;
  readonly clientId: string;
  /** Never logged; error messages never include it. */
  readonly clientSecret: string;
  /** Scopes to ask for, space-separated, for example "rabbitmq.read:*\/*". @default - the client's default scopes */
  readonly scope?: string;
  /** Identity providers that want the resource named (RFC 8707), for example the broker's audience. @default - none */
  readonly resource?: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * OAuth 2.0 client-credentials grant (RFC 6749 section 4.4), client authenticated with HTTP Basic
 * (section 2.3.1): the access token for an application that acts as itself.
 */
export function clientCredentialsFetcher(options: ClientCredentialsOptions): TokenFetcher {
  return async () => {
    if (!/^https:\/\//.test(options.tokenEndpoint)) {
      throw new MqPlatformError('usage', `token endpoint ${options.tokenEndpoint} is not https://`, {
        hint: 'client secrets travel only over TLS',
      });
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) form.set('scope', options.scope);
    if (options.resource) form.set('resource', options.resource);
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const doFetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await doFetch(options.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
        body: form.toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10000),
      });
    } catch (e) {
      throw new MqPlatformError('network', `cannot reach the token endpoint ${options.tokenEndpoint}: ${(e as Error).message}`, {
        hint: 'check the URL and network access to the identity provider',
        cause: e,
      });
    }
    const body = (await res.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined;
    if (!res.ok) {
      const code = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
      throw new MqPlatformError(
        res.status === 400 || res.status === 401 ? 'auth' : 'protocol',
        `the token endpoint refused the client (${code})`,
        {
          hint: 'check the client id and secret, and the scopes the client may ask for',
        },
      );
    }
    if (typeof body?.access_token !== 'string' || !body.access_token)
      throw new MqPlatformError('protocol', 'the token endpoint answered without an access_token');
    const expiresAt = typeof body.expires_in === 'number' ? new Date(Date.now() + body.expires_in * 1000) : undefined;
    return { token: body.access_token, expiresAt };
  };
}
