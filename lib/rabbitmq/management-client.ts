/**
 * A small client of the RabbitMQ management HTTP API (https://www.rabbitmq.com/docs/http-api-reference),
 * on `fetch`. Shared by credential rotation, the users custom resource and (issue 11) definitions.
 * On Amazon MQ the API is served on port 443 of the broker's console URL with a public certificate.
 */

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Why a call failed: the broker refused the credentials, the thing is absent, it could not be reached, or another answer. */
export type ManagementErrorKind = 'auth' | 'not-found' | 'unreachable' | 'http';

export class ManagementApiError extends Error {
  constructor(
    readonly kind: ManagementErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ManagementApiError';
  }
}

export interface RabbitMqUser {
  readonly name: string;
  readonly tags: string[];
  readonly password_hash?: string;
  readonly hashing_algorithm?: string;
}

export interface RabbitMqPermission {
  readonly vhost: string;
  readonly configure: string;
  readonly write: string;
  readonly read: string;
}

export interface ManagementClientOptions {
  /** e.g. `https://b-1234.mq.eu-west-1.on.aws` or `http://127.0.0.1:15672`. */
  readonly baseUrl: string;
  readonly credentials: BasicCredentials;
  /** @default globalThis.fetch (inject one with a dispatcher to trust a private CA) */
  readonly fetch?: typeof fetch;
  /** Per request. @default 10000 */
  readonly timeoutMs?: number;
}

/** `PUT /api/users/{name}` body: a clear-text password, an existing hash, or neither (the user cannot log in with a password). */
export type UserPassword =
  { readonly password: string } | { readonly password_hash: string; readonly hashing_algorithm?: string } | Record<string, never>;

export class RabbitMqManagementClient {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly authorization: string;

  constructor(protected readonly options: ManagementClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 10000;
    const { username, password } = options.credentials;
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** The same API as another user. */
  as(credentials: BasicCredentials): RabbitMqManagementClient {
    return new RabbitMqManagementClient({ ...this.options, credentials });
  }

  /** `GET /api/whoami`: who the credentials authenticate as (needs a management tag). */
  async whoami(): Promise<{ name: string; tags: string[] }> {
    const body = (await this.request('GET', '/api/whoami')) as { name: string; tags?: string | string[] };
    return { name: body.name, tags: tagList(body.tags) };
  }

  /** `GET /api/users/{name}`, or undefined when there is no such user. */
  async getUser(name: string): Promise<RabbitMqUser | undefined> {
    try {
      const u = (await this.request('GET', `/api/users/${enc(name)}`)) as RabbitMqUser & { tags?: string | string[] };
      return { ...u, tags: tagList(u.tags) };
    } catch (e) {
      if (e instanceof ManagementApiError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  /** `PUT /api/users/{name}`: creates or replaces the user (tags always; the password as given). */
  async putUser(name: string, password: UserPassword, tags: readonly string[]): Promise<void> {
    await this.request('PUT', `/api/users/${enc(name)}`, { ...password, tags: tags.join(',') });
  }

  /** `GET /api/users/{name}/permissions`. */
  async userPermissions(name: string): Promise<RabbitMqPermission[]> {
    const list = (await this.request('GET', `/api/users/${enc(name)}/permissions`)) as RabbitMqPermission[];
    return list.map(({ vhost, configure, write, read }) => ({ vhost, configure, write, read }));
  }

  /** `PUT /api/permissions/{vhost}/{user}`. */
  async putPermission(user: string, p: RabbitMqPermission): Promise<void> {
    await this.request('PUT', `/api/permissions/${enc(p.vhost)}/${enc(user)}`, { configure: p.configure, write: p.write, read: p.read });
  }

  /** `DELETE /api/permissions/{vhost}/{user}`; absent is fine. */
  async deletePermission(user: string, vhost: string): Promise<void> {
    try {
      await this.request('DELETE', `/api/permissions/${enc(vhost)}/${enc(user)}`);
    } catch (e) {
      if (!(e instanceof ManagementApiError && e.kind === 'not-found')) throw e;
    }
  }

  /** Whether a vhost exists (`GET /api/vhosts/{name}`). */
  async vhostExists(name: string): Promise<boolean> {
    try {
      await this.request('GET', `/api/vhosts/${enc(name)}`);
      return true;
    } catch (e) {
      if (e instanceof ManagementApiError && e.kind === 'not-found') return false;
      throw e;
    }
  }

  /** One call of the API; subclasses (definitions) add their endpoints with it. */
  protected async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const where = `${method} ${path}`;
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, {
        method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : causeOf(e);
      throw new ManagementApiError('unreachable', `${where} on ${originOf(this.base)}: ${reason}`);
    }
    const text = await res.text();
    if (res.status === 401)
      throw new ManagementApiError(
        'auth',
        `${where}: 401, the broker refused the credentials of ${this.options.credentials.username}`,
        401,
      );
    if (res.status === 404) throw new ManagementApiError('not-found', `${where}: 404`, 404);
    if (res.status < 200 || res.status > 299)
      throw new ManagementApiError('http', `${where}: ${res.status} ${text.slice(0, 200)}`, res.status);
    return text ? JSON.parse(text) : undefined;
  }
}

const enc = encodeURIComponent;

/** RabbitMQ 3.x answers tags as a comma-separated string, 4.x as an array. */
function tagList(tags: string | string[] | undefined): string[] {
  if (Array.isArray(tags)) return tags;
  return (tags ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** fetch wraps the socket error in `cause`; its code (ECONNREFUSED, certificate errors, ...) is what an operator needs. */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}
