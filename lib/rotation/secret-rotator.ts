import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { generatePassword } from './password';
import type { BrokerTarget, Credentials, EngineStrategy, RotationContext, RotationEvent } from './types';

export interface SecretRotatorProps {
  readonly secretsManager: SecretsManagerClient;
  readonly brokers: readonly BrokerTarget[];
  readonly strategies: Readonly<Record<BrokerTarget['engine'], EngineStrategy>>;
  /** @default console.log of one JSON line */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
  /** @default generatePassword */
  readonly newPassword?: () => string;
}

/**
 * Secrets Manager's four rotation steps for broker users. Every step first checks where the
 * rotation stands and does nothing that is already done, so Secrets Manager (or an operator with
 * `aws secretsmanager rotate-secret`) may call any step again after a failure.
 * Step contract: https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 */
export class SecretRotator {
  private readonly sm: SecretsManagerClient;
  private readonly log: NonNullable<SecretRotatorProps['log']>;
  private readonly newPassword: () => string;

  constructor(private readonly props: SecretRotatorProps) {
    this.sm = props.secretsManager;
    this.log = props.log ?? ((message, fields) => console.log(JSON.stringify({ message, ...fields })));
    this.newPassword = props.newPassword ?? generatePassword;
  }

  async handle(event: RotationEvent): Promise<void> {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const meta = await this.sm.send(new DescribeSecretCommand({ SecretId: secretId }));
    const name = meta.Name ?? secretId;
    if (!meta.RotationEnabled) throw new Error(`secret ${name} does not have rotation enabled`);
    const stages = meta.VersionIdsToStages?.[token];
    if (!stages) throw new Error(`version ${token} of secret ${name} has no stage; start a new rotation`);
    if (stages.includes('AWSCURRENT')) {
      this.log('version is already AWSCURRENT; nothing to do', { secret: name, step });
      return;
    }
    if (!stages.includes('AWSPENDING')) throw new Error(`version ${token} of secret ${name} is not AWSPENDING`);
    const broker = this.brokerOf(name);
    this.log('rotation step', { secret: name, step, broker: broker.brokerId, engine: broker.engine });

    switch (step) {
      case 'createSecret':
        return this.createSecret(secretId, token, name);
      case 'setSecret':
        return this.props.strategies[broker.engine].setSecret(await this.context(secretId, token, broker, name));
      case 'testSecret':
        return this.props.strategies[broker.engine].testSecret(await this.context(secretId, token, broker, name));
      case 'finishSecret':
        return this.finishSecret(secretId, token, name, meta.VersionIdsToStages ?? {});
      default:
        throw new Error(`unknown rotation step ${String(step)}`);
    }
  }

  /** The broker whose secret name prefix matches, longest first (names are `mq-platform/<env>/<broker>/<user>`). */
  private brokerOf(secretName: string): BrokerTarget {
    const match = [...this.props.brokers]
      .sort((a, b) => b.secretNamePrefix.length - a.secretNamePrefix.length)
      .find((b) => secretName.startsWith(b.secretNamePrefix));
    if (!match) throw new Error(`secret ${secretName} belongs to no broker this function rotates`);
    return match;
  }

  /** Puts a new password as AWSPENDING under the token, unless that version already has a value. */
  private async createSecret(secretId: string, token: string, name: string): Promise<void> {
    const current = await this.credentials(secretId, { VersionStage: 'AWSCURRENT' });
    try {
      await this.credentials(secretId, { VersionId: token, VersionStage: 'AWSPENDING' });
      this.log('createSecret: pending version already has a value', { secret: name });
      return;
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
    const pending: Credentials = { username: current.username, password: this.newPassword() };
    await this.sm.send(
      new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: JSON.stringify(pending), VersionStages: ['AWSPENDING'] }),
    );
    this.log('createSecret: new password stored as AWSPENDING', { secret: name });
  }

  /** Moves AWSCURRENT to the token's version (Secrets Manager moves AWSPREVIOUS along). */
  private async finishSecret(secretId: string, token: string, name: string, versions: Record<string, string[]>): Promise<void> {
    const currentVersion = Object.entries(versions).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
    if (currentVersion === token) return;
    await this.sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: currentVersion }),
    );
    this.log('finishSecret: pending version is now AWSCURRENT', { secret: name });
  }

  private async context(secretId: string, token: string, broker: BrokerTarget, name: string): Promise<RotationContext> {
    const current = await this.credentials(secretId, { VersionStage: 'AWSCURRENT' });
    const pending = await this.credentials(secretId, { VersionId: token, VersionStage: 'AWSPENDING' });
    if (pending.username !== current.username) {
      throw new Error(`secret ${name}: the pending username differs from the current one; rotation never renames users`);
    }
    let previous: Credentials | undefined;
    try {
      previous = await this.credentials(secretId, { VersionStage: 'AWSPREVIOUS' });
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
    return { secretId, token, broker, current, pending, previous };
  }

  private async credentials(secretId: string, version: { VersionId?: string; VersionStage: string }): Promise<Credentials> {
    const out = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, ...version }));
    return parseCredentials(out.SecretString, version.VersionStage);
  }
}

export function parseCredentials(text: string | undefined, what: string): Credentials {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new Error(`the ${what} secret value is not JSON; expected {"username": "...", "password": "..."}`);
  }
  const v = value as Partial<Credentials> | null;
  if (!v || typeof v.username !== 'string' || typeof v.password !== 'string' || !v.username || !v.password) {
    throw new Error(`the ${what} secret value lacks a username or password; expected {"username": "...", "password": "..."}`);
  }
  return { username: v.username, password: v.password };
}
