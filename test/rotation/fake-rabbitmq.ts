/**
 * An in-memory RabbitMQ behind an injected `fetch` (the management HTTP API calls rotation and the
 * users custom resource make) and a login probe (AMQPS), with fault switches.
 */
import type { LoginProbe, ProbeResult } from '../../lib/rotation/probe';
import type { Credentials } from '../../lib/rotation/types';

interface User {
  password?: string;
  tags: string[];
}

interface Permission {
  configure: string;
  write: string;
  read: string;
}

export class FakeRabbitMq {
  readonly users = new Map<string, User>();
  /** user → vhost → permission */
  readonly permissions = new Map<string, Map<string, Permission>>();
  readonly vhosts = new Set<string>(['/']);
  readonly requests: { method: string; path: string; as: string }[] = [];
  /** Fault: the management API cannot be reached. */
  unreachable = false;
  /** Fault: AMQPS cannot be reached. */
  amqpUnreachable = false;
  /** Fault: PUT /api/users answers 204 but changes nothing (a broker that lost the change). */
  dropUserPuts = false;
  /** Fault: the next N whoami calls answer 401 whatever the credentials. */
  refuseWhoami = 0;

  constructor(admin: Credentials) {
    this.users.set(admin.username, { password: admin.password, tags: ['administrator'] });
    this.permissions.set(admin.username, new Map([['/', { configure: '.*', write: '.*', read: '.*' }]]));
  }

  logsIn(c: Credentials): boolean {
    const u = this.users.get(c.username);
    return u?.password !== undefined && u.password === c.password;
  }

  readonly probe: LoginProbe = async (_endpoints, creds, options): Promise<ProbeResult> => {
    if (this.amqpUnreachable) return { outcome: 'unreachable', detail: 'connect ECONNREFUSED (injected)' };
    if (!this.logsIn(creds)) return { outcome: 'wrong-credentials', detail: 'ACCESS_REFUSED - Login was refused' };
    if (!this.permissions.get(creds.username)?.has(options?.vhost ?? '/'))
      return { outcome: 'wrong-credentials', detail: 'NOT_ALLOWED - vhost' };
    return { outcome: 'ok' };
  };

  readonly fetch: typeof fetch = async (input, init) => {
    if (this.unreachable) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const auth = Buffer.from(String((init?.headers as Record<string, string>).authorization).replace(/^Basic /, ''), 'base64').toString();
    const [username, password] = [auth.slice(0, auth.indexOf(':')), auth.slice(auth.indexOf(':') + 1)];
    const parts = url.pathname.split('/').slice(2).map(decodeURIComponent);
    this.requests.push({ method, path: url.pathname, as: username });
    const caller = this.users.get(username);
    const json = (status: number, body?: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status });
    if (!caller || caller.password === undefined || caller.password !== password) return json(401, { error: 'not_authorised' });
    if (parts[0] === 'whoami') {
      if (this.refuseWhoami > 0) {
        this.refuseWhoami--;
        return json(401, { error: 'not_authorised' });
      }
      return caller.tags.some((t) => ['administrator', 'management', 'monitoring', 'policymaker'].includes(t))
        ? json(200, { name: username, tags: caller.tags })
        : json(401, { error: 'not_authorised' });
    }
    if (!caller.tags.includes('administrator')) return json(401, { error: 'not_authorised' });
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, string>) : {};
    if (parts[0] === 'users' && parts.length === 2) {
      const u = this.users.get(parts[1]);
      if (method === 'GET')
        return u
          ? json(200, {
              name: parts[1],
              tags: u.tags.join(','),
              password_hash: u.password === undefined ? '' : `hash:${u.password}`,
              hashing_algorithm: 'rabbit_password_hashing_sha256',
            })
          : json(404);
      if (method === 'PUT') {
        if (this.dropUserPuts && u) return json(204);
        const tags = (body.tags ?? '').split(',').filter(Boolean);
        const pw = 'password' in body ? body.password : body.password_hash ? body.password_hash.replace(/^hash:/, '') : undefined;
        this.users.set(parts[1], { password: pw, tags });
        return json(u ? 204 : 201);
      }
    }
    if (parts[0] === 'users' && parts[2] === 'permissions') {
      return json(
        200,
        [...(this.permissions.get(parts[1]) ?? new Map<string, Permission>())].map(([vhost, p]) => ({ user: parts[1], vhost, ...p })),
      );
    }
    if (parts[0] === 'permissions' && parts.length === 3) {
      const [, vhost, user] = parts;
      if (method === 'PUT') {
        if (!this.vhosts.has(vhost)) return json(400, { error: 'bad_request', reason: `vhost ${vhost} does not exist` });
        if (!this.permissions.has(user)) this.permissions.set(user, new Map());
        this.permissions.get(user)!.set(vhost, { configure: body.configure, write: body.write, read: body.read });
        return json(201);
      }
      if (method === 'DELETE') return this.permissions.get(user)?.delete(vhost) ? json(204) : json(404);
    }
    if (parts[0] === 'vhosts' && parts.length === 2) return this.vhosts.has(parts[1]) ? json(200, { name: parts[1] }) : json(404);
    return json(404);
  };
}
