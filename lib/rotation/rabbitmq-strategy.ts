import { GetSecretValueCommand, ResourceNotFoundException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ManagementApiError, RabbitMqManagementClient, type RabbitMqPermission } from '../rabbitmq/management-client';
import { errorMessage, jsonLogger, type Logger } from './log';
import { BrokerUnreachableError, type LoginProbe, type ProbeResult } from './probe';
import { parseCredentials } from './secret-rotator';
import { endpointList, type BrokerTarget, type Credentials, type EngineStrategy, type RotationContext } from './types';

export interface RabbitMqStrategyProps {
  readonly secretsManager: SecretsManagerClient;
  /** AMQPS login check for application users (probe.ts rabbitMqProbe). */
  readonly probe: LoginProbe;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default jsonLogger() */
  readonly log?: Logger;
}

/**
 * The platform administrator of a RabbitMQ broker: the AWSCURRENT credentials of its secret, or the
 * AWSPENDING ones while an administrator rotation is between setSecret and finishSecret.
 */
export async function administratorClient(
  sm: SecretsManagerClient,
  broker: BrokerTarget,
  fetchFn?: typeof fetch,
): Promise<{ client: RabbitMqManagementClient; credentials: Credentials }> {
  if (!broker.administratorSecretArn || !broker.managementUrl) {
    throw new Error(
      `broker ${broker.brokerName ?? broker.brokerId} has no administrator secret or management URL in the function's configuration`,
    );
  }
  const refused: string[] = [];
  for (const stage of ['AWSCURRENT', 'AWSPENDING']) {
    let creds: Credentials;
    try {
      const out = await sm.send(new GetSecretValueCommand({ SecretId: broker.administratorSecretArn, VersionStage: stage }));
      creds = parseCredentials(out.SecretString, `administrator ${stage}`);
    } catch (e) {
      if (e instanceof ResourceNotFoundException) continue;
      throw e;
    }
    const client = new RabbitMqManagementClient({ baseUrl: broker.managementUrl, credentials: creds, fetch: fetchFn });
    try {
      await client.whoami();
      return { client, credentials: creds };
    } catch (e) {
      if (!(e instanceof ManagementApiError && e.kind === 'auth')) throw e;
      refused.push(stage);
    }
  }
  throw new Error(
    `the RabbitMQ management API of broker ${broker.brokerName ?? broker.brokerId} refuses the administrator's ${refused.join(' and ')} credentials; ` +
      "the password was changed outside Secrets Manager: put the broker's password into the administrator secret (put-secret-value), then rerun",
  );
}

/**
 * RabbitMQ keeps its users inside the broker; the platform administrator changes them through the
 * management HTTP API, and a change applies at once (no reboot). Application pairs: the user clients
 * are not using gets the new password, the current user's tags and its permissions; nothing touches
 * the current user, so no client is refused and nothing needs restoring. The administrator itself
 * (single user) changes its own password and restores the AWSCURRENT one if the new one fails.
 */
export class RabbitMqStrategy implements EngineStrategy {
  private readonly sm: SecretsManagerClient;
  private readonly probe: LoginProbe;
  private readonly fetchFn?: typeof fetch;
  private readonly log: Logger;

  constructor(props: RabbitMqStrategyProps) {
    this.sm = props.secretsManager;
    this.probe = props.probe;
    this.fetchFn = props.fetch;
    this.log = props.log ?? jsonLogger();
  }

  async setSecret(ctx: RotationContext): Promise<void> {
    return isAdministrator(ctx) ? this.setAdministrator(ctx) : this.setApplicationUser(ctx);
  }

  async testSecret(ctx: RotationContext): Promise<void> {
    return isAdministrator(ctx) ? this.testAdministrator(ctx) : this.testApplicationUser(ctx);
  }

  async checkCurrent(ctx: RotationContext): Promise<void> {
    if (isAdministrator(ctx)) {
      if (!(await authenticates(this.management(ctx, ctx.current))))
        throw new Error(`configuration test: broker ${name(ctx)} refuses the administrator's AWSCURRENT credentials`);
    } else {
      const { client: admin } = await administratorClient(this.sm, ctx.broker, this.fetchFn);
      const r = await this.login(ctx, ctx.current, await admin.userPermissions(ctx.current.username));
      if (r.outcome !== 'ok')
        throw new Error(`configuration test: broker ${name(ctx)} refuses the AWSCURRENT credentials of ${ctx.secretName} (${r.detail})`);
    }
    this.log('testSecret: AWSCURRENT logs in (configuration test)', { secret: ctx.secretName });
  }

  private async setApplicationUser(ctx: RotationContext): Promise<void> {
    if (ctx.pending.username === ctx.current.username) {
      throw new Error(
        `secret ${ctx.secretName}: RabbitMQ application users rotate as alternating pairs only; the configuration names no partner for ${ctx.current.username}`,
      );
    }
    const { client: admin } = await administratorClient(this.sm, ctx.broker, this.fetchFn);
    const currentUser = await admin.getUser(ctx.current.username);
    if (!currentUser)
      throw new Error(
        `user ${ctx.current.username} (AWSCURRENT) does not exist on broker ${name(ctx)}; deploy the stack (its users custom resource creates it)`,
      );
    const permissions = await admin.userPermissions(ctx.current.username);
    const r = await this.login(ctx, ctx.pending, permissions);
    if (r.outcome === 'ok') {
      this.log('setSecret: the broker already has the pending password', { secret: ctx.secretName, user: ctx.pending.username });
      return;
    }
    await admin.putUser(ctx.pending.username, { password: ctx.pending.password }, currentUser.tags);
    for (const p of permissions) await admin.putPermission(ctx.pending.username, p);
    this.log("setSecret: pending user has the new password and the current user's permissions", {
      secret: ctx.secretName,
      user: ctx.pending.username,
      vhosts: permissions.map((p) => p.vhost),
    });
  }

  private async testApplicationUser(ctx: RotationContext): Promise<void> {
    const { client: admin } = await administratorClient(this.sm, ctx.broker, this.fetchFn);
    const r = await this.login(ctx, ctx.pending, await admin.userPermissions(ctx.pending.username));
    if (r.outcome === 'ok') {
      this.log('testSecret: the pending user logs in', { secret: ctx.secretName, user: ctx.pending.username });
      return;
    }
    // The current user was never touched: failing leaves every client working; a rerun sets the password again.
    throw new Error(
      `testSecret: ${ctx.pending.username} does not log in to broker ${name(ctx)} (${r.detail}); clients keep using ${ctx.current.username}; rerun the rotation`,
    );
  }

  /** AMQPS login on a vhost the user may use; could-not-connect fails the step before anything changes. */
  private async login(ctx: RotationContext, creds: Credentials, permissions: readonly RabbitMqPermission[]): Promise<ProbeResult> {
    const r = await this.probe(endpointList(ctx.broker.amqpEndpoints), creds, { vhost: permissions[0]?.vhost ?? '/' });
    if (r.outcome === 'unreachable')
      throw new BrokerUnreachableError(`could not connect to broker ${name(ctx)} over AMQPS (${r.detail}); nothing was changed`);
    return r;
  }

  private async setAdministrator(ctx: RotationContext): Promise<void> {
    const base = this.management(ctx, ctx.pending);
    if (await authenticates(base)) {
      this.log("setSecret: the broker already has the administrator's pending password", { secret: ctx.secretName });
      return;
    }
    const admin = this.management(ctx, ctx.current);
    if (!(await authenticates(admin))) {
      throw new Error(
        `setSecret: the broker refuses the administrator's AWSCURRENT and AWSPENDING passwords; put the broker's password into ${ctx.secretName} (put-secret-value), then rerun`,
      );
    }
    const me = await admin.getUser(ctx.current.username);
    await admin.putUser(ctx.current.username, { password: ctx.pending.password }, me?.tags ?? ['administrator']);
    this.log('setSecret: administrator password changed (AWSPENDING holds it)', { secret: ctx.secretName });
  }

  private async testAdministrator(ctx: RotationContext): Promise<void> {
    try {
      await this.management(ctx, ctx.pending).whoami();
      this.log("testSecret: the administrator's pending password logs in", { secret: ctx.secretName });
      return;
    } catch (e) {
      if (!(e instanceof ManagementApiError && e.kind === 'auth')) {
        throw e instanceof ManagementApiError && e.kind === 'unreachable'
          ? new BrokerUnreachableError(`testSecret: ${e.message}; nothing was changed`)
          : e;
      }
      this.log("testSecret: the administrator's pending password is refused; restoring AWSCURRENT", {
        secret: ctx.secretName,
        error: errorMessage(e),
      });
    }
    // Restore with whichever password the broker accepts, so the platform keeps one working administrator.
    for (const who of [ctx.pending, ctx.current]) {
      const client = this.management(ctx, who);
      if (!(await authenticates(client))) continue;
      if (who === ctx.current) break;
      const me = await client.getUser(ctx.current.username);
      await client.putUser(ctx.current.username, { password: ctx.current.password }, me?.tags ?? ['administrator']);
      break;
    }
    throw new Error(
      `testSecret: the administrator's pending password does not log in to broker ${name(ctx)}; AWSCURRENT stays valid; rerun the rotation`,
    );
  }

  private management(ctx: RotationContext, credentials: Credentials): RabbitMqManagementClient {
    if (!ctx.broker.managementUrl) throw new Error(`broker ${name(ctx)} has no management URL in the function's configuration`);
    return new RabbitMqManagementClient({ baseUrl: ctx.broker.managementUrl, credentials, fetch: this.fetchFn });
  }
}

function isAdministrator(ctx: RotationContext): boolean {
  return !ctx.credential.partnerUsername && ctx.credential.secretArn === ctx.broker.administratorSecretArn;
}

/** True on 200, false on 401; could-not-connect fails the step. */
async function authenticates(client: RabbitMqManagementClient): Promise<boolean> {
  try {
    await client.whoami();
    return true;
  } catch (e) {
    if (e instanceof ManagementApiError && e.kind === 'auth') return false;
    if (e instanceof ManagementApiError && e.kind === 'unreachable') throw new BrokerUnreachableError(`${e.message}; nothing was changed`);
    throw e;
  }
}

function name(ctx: RotationContext): string {
  return ctx.broker.brokerName ?? ctx.broker.brokerId ?? 'RabbitMQ broker';
}
