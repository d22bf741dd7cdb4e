import { nodeHttpRequest, type HttpRequest } from './http-request';
import type { Credentials, EngineStrategy, RotationContext } from './types';

export interface RabbitMqStrategyProps {
  /** @default nodeHttpRequest() */
  readonly request?: HttpRequest;
  /** @default console.log of one JSON line */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * RabbitMQ keeps its users inside the broker, so the password changes through the management HTTP
 * API (`PUT /api/users/<name>`, https://www.rabbitmq.com/docs/http-api-reference), authenticated as
 * the user itself. A password change does not close open connections: clients that use the old
 * password keep working until they reconnect, and then must read AWSCURRENT again.
 */
export class RabbitMqStrategy implements EngineStrategy {
  private readonly request: HttpRequest;
  private readonly log: NonNullable<RabbitMqStrategyProps['log']>;

  constructor(props: RabbitMqStrategyProps = {}) {
    this.request = props.request ?? nodeHttpRequest();
    this.log = props.log ?? ((message, fields) => console.log(JSON.stringify({ message, ...fields })));
  }

  /** Sets the pending password, unless the broker already has it (a retried step). */
  async setSecret(ctx: RotationContext): Promise<void> {
    if (await this.authenticates(ctx, ctx.pending)) {
      this.log('setSecret: the broker already has the pending password', { broker: ctx.broker.brokerId });
      return;
    }
    await this.setPassword(ctx, ctx.pending.password);
    this.log('setSecret: pending password set on the broker', { broker: ctx.broker.brokerId });
  }

  /**
   * Proves the pending credentials log in. On failure the broker gets the AWSCURRENT password back
   * before the step fails, so clients that read AWSCURRENT are never locked out; a retry sets the
   * pending password again.
   */
  async testSecret(ctx: RotationContext): Promise<void> {
    try {
      const res = await this.request('GET', this.url(ctx, '/api/whoami'), ctx.pending);
      if (res.status !== 200) throw new Error(`GET /api/whoami with the pending password answered ${res.status}`);
      const who = JSON.parse(res.body) as { name?: string };
      if (who.name !== ctx.pending.username) throw new Error(`GET /api/whoami with the pending password names ${String(who.name)}, not ${ctx.pending.username}`);
    } catch (e) {
      this.log('testSecret failed; restoring the AWSCURRENT password on the broker', { broker: ctx.broker.brokerId, error: (e as Error).message });
      try {
        await this.restoreCurrent(ctx);
      } catch (restore) {
        throw new Error(`${(e as Error).message}; restoring the AWSCURRENT password failed too: ${(restore as Error).message}`, { cause: restore });
      }
      throw e;
    }
    this.log('testSecret: the pending password logs in', { broker: ctx.broker.brokerId });
  }

  private async restoreCurrent(ctx: RotationContext): Promise<void> {
    if ((await this.request('GET', this.url(ctx, '/api/whoami'), ctx.current)).status === 200) return;
    await this.setPassword(ctx, ctx.current.password);
    this.log('testSecret: AWSCURRENT password restored', { broker: ctx.broker.brokerId });
  }

  /** PUT /api/users/<name> with the same tags, authenticated with whichever known password the broker has now. */
  private async setPassword(ctx: RotationContext, password: string): Promise<void> {
    const userUrl = this.url(ctx, `/api/users/${encodeURIComponent(ctx.current.username)}`);
    const { admin, body } = await this.readUser(ctx, userUrl);
    const tags = (JSON.parse(body) as { tags?: string | string[] }).tags ?? '';
    const put = await this.request('PUT', userUrl, admin, { password, tags: Array.isArray(tags) ? tags.join(',') : tags });
    if (put.status !== 201 && put.status !== 204) throw new Error(`PUT /api/users/${ctx.current.username} answered ${put.status}`);
  }

  /** GET /api/users/<name> with AWSCURRENT, AWSPENDING, then AWSPREVIOUS: the first the broker accepts. */
  private async readUser(ctx: RotationContext, userUrl: string): Promise<{ admin: Credentials; body: string }> {
    const answers: number[] = [];
    for (const candidate of [ctx.current, ctx.pending, ctx.previous]) {
      if (!candidate) continue;
      const res = await this.request('GET', userUrl, candidate);
      if (res.status === 200) return { admin: candidate, body: res.body };
      answers.push(res.status);
    }
    if (answers.every((s) => s === 401)) {
      throw new Error(
        `none of the AWSCURRENT, AWSPENDING or AWSPREVIOUS passwords of ${ctx.current.username} logs in to broker ${ctx.broker.brokerId}; ` +
          "the password was changed outside Secrets Manager: put the broker's password into the secret (put-secret-value), then rotate again",
      );
    }
    throw new Error(`GET /api/users/${ctx.current.username} answered ${answers.join(', ')}; is the management API reachable?`);
  }

  private async authenticates(ctx: RotationContext, creds: Credentials): Promise<boolean> {
    const res = await this.request('GET', this.url(ctx, '/api/whoami'), creds);
    if (res.status === 200) return true;
    if (res.status === 401) return false;
    throw new Error(`GET /api/whoami answered ${res.status}; is the management API reachable?`);
  }

  private url(ctx: RotationContext, path: string): string {
    const base = ctx.broker.managementUrl;
    if (!base) throw new Error(`broker ${ctx.broker.brokerId} has no management URL`);
    return base.replace(/\/+$/, '') + path;
  }
}
