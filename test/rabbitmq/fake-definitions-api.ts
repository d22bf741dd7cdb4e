/**
 * An in-memory RabbitMQ management API for definitions behind an injected `fetch`: vhosts,
 * exchanges, queues (with message counts), bindings, policies and vhost limits, answering as
 * RabbitMQ does (404 for an absent vhost, 400 for `if-empty` on a queue that holds messages).
 */
type Obj = Record<string, unknown>;

export class FakeDefinitionsApi {
  readonly vhosts = new Set<string>(['/']);
  readonly exchanges = new Map<string, Obj>();
  readonly queues = new Map<string, Obj & { messages: number }>();
  readonly bindings: Obj[] = [];
  readonly policies = new Map<string, Obj>();
  readonly limits = new Map<string, Record<string, number>>();
  /** Application users: tags, and per vhost their permission patterns. */
  readonly users = new Map<string, { tags: string[]; permissions: Map<string, { configure: string; write: string; read: string }> }>();
  /** `vhost|user` pairs with permissions. */
  readonly permissions = new Set<string>(['/|admin']);
  /** Whether creating a vhost gives its creator permissions on it (RabbitMQ's management API does). */
  grantCreator = true;
  /** Every call that is not a read. */
  readonly writes: string[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = init?.body ? (JSON.parse(String(init.body)) as Obj) : {};
    const [kind, ...rest] = url.pathname.split('/').slice(2).map(decodeURIComponent);
    if (method !== 'GET') this.writes.push(`${method} ${url.pathname}${url.search}`);
    const ok = (value?: unknown, status = 200) =>
      new Response(value === undefined ? null : JSON.stringify(value), { status: value === undefined ? 204 : status });
    const notFound = () => new Response(JSON.stringify({ error: 'Object Not Found' }), { status: 404 });
    const [v, name] = rest;
    const inVhost = (m: Map<string, Obj>) => [...m.values()].filter((x) => x.vhost === v);
    if (kind === 'whoami') return ok({ name: 'admin', tags: ['administrator'] });
    if (kind === 'users' && method === 'GET') {
      const u = this.users.get(v);
      if (!u) return notFound();
      if (name === 'permissions') return ok([...u.permissions].map(([vhost, p]) => ({ user: v, vhost, ...p })));
      return ok({ name: v, tags: u.tags.join(',') });
    }
    if (kind === 'vhosts') {
      if (method === 'GET') return ok([...this.vhosts].map((n) => ({ name: n })));
      if (method === 'PUT') {
        this.vhosts.add(v);
        if (this.grantCreator) this.permissions.add(`${v}|admin`);
        return ok();
      }
      if (!this.vhosts.delete(v)) return notFound();
      for (const m of [this.exchanges, this.queues, this.policies]) for (const [k, x] of m) if (x.vhost === v) m.delete(k);
      this.limits.delete(v);
      return ok();
    }
    if (v !== undefined && !this.vhosts.has(v)) return notFound();
    const key = `${v}|${name}`;
    switch (kind) {
      case 'permissions':
        if (method === 'GET') return this.permissions.has(key) ? ok({ vhost: v, user: name }) : notFound();
        return (this.permissions.add(key), ok());
      case 'exchanges':
        if (method === 'GET')
          return ok([
            ...['', 'amq.direct', 'amq.topic'].map((n) => ({
              vhost: v,
              name: n,
              type: 'direct',
              durable: true,
              auto_delete: false,
              internal: false,
              arguments: {},
            })),
            ...inVhost(this.exchanges),
          ]);
        if (method === 'PUT') return (this.exchanges.set(key, { vhost: v, name, ...body }), ok());
        return this.exchanges.delete(key) ? ok() : notFound();
      case 'queues': {
        if (method === 'GET' && name === undefined) return ok(inVhost(this.queues));
        const q = this.queues.get(key);
        if (method === 'GET') return q ? ok(q) : notFound();
        if (method === 'PUT') {
          const args = (body.arguments ?? {}) as Obj;
          return (
            this.queues.set(key, { vhost: v, name, type: args['x-queue-type'] ?? 'classic', exclusive: false, messages: 0, ...body }),
            ok()
          );
        }
        if (!q) return notFound();
        if (url.searchParams.get('if-empty') === 'true' && q.messages > 0) return new Response('{"error":"bad_request"}', { status: 400 });
        this.queues.delete(key);
        return ok();
      }
      case 'bindings': {
        if (method === 'GET') return ok(this.bindings.filter((b) => b.vhost === v));
        const [, , source, t, destination, props] = rest;
        const destination_type = t === 'q' ? 'queue' : 'exchange';
        if (method === 'POST') {
          this.bindings.push({
            vhost: v,
            source,
            destination,
            destination_type,
            routing_key: body.routing_key,
            arguments: body.arguments,
            properties_key: `${String(body.routing_key)}~${this.bindings.length}`,
          });
          return ok(undefined);
        }
        const i = this.bindings.findIndex(
          (b) => b.vhost === v && b.source === source && b.destination === destination && b.properties_key === props,
        );
        if (i < 0) return notFound();
        this.bindings.splice(i, 1);
        return ok();
      }
      case 'policies':
        if (method === 'GET') return ok(inVhost(this.policies));
        if (method === 'PUT') return (this.policies.set(key, { vhost: v, name, ...body }), ok());
        return this.policies.delete(key) ? ok() : notFound();
      case 'vhost-limits': {
        const have = this.limits.get(v) ?? {};
        if (method === 'GET') return ok(Object.keys(have).length ? [{ vhost: v, value: have }] : []);
        if (method === 'PUT') return (this.limits.set(v, { ...have, [name]: body.value as number }), ok());
        delete have[name];
        return ok();
      }
    }
    return notFound();
  };
}
