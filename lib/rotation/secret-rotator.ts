import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { jsonLogger, type Logger } from './log';
import { generatePassword } from './password';
import type { BrokerTarget, CredentialTarget, Credentials, EngineStrategy, RotationContext, RotationEvent } from './types';

export interface SecretRotatorProps {
  readonly secretsManager: SecretsManagerClient;
  readonly brokers: readonly BrokerTarget[];
  readonly strategies: Readonly<Record<BrokerTarget['engine'], EngineStrategy>>;
  /** @default jsonLogger() */
  readonly log?: Logger;
  /** @default generatePassword */
  readonly newPassword?: () => string;
}

/**
 * Secrets Manager's four rotation steps with alternating users: each application secret names one of
 * two broker users (`app`, `app_clone`); a rotation changes only the user the secret does not name,
 * proves it logs in, then points AWSCURRENT at it. The user clients use is never touched, so
 * AWSCURRENT always logs in. A target without a partner (the RabbitMQ administrator) rotates as a single user.
 * Every step checks where the rotation stands and does nothing already done, so any step may run twice.
 * Step contract: https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 */
export class SecretRotator {
  private readonly sm: SecretsManagerClient;
  private readonly log: Logger;
  private readonly newPassword: () => string;

  constructor(private readonly props: SecretRotatorProps) {
    this.sm = props.secretsManager;
    this.log = props.log ?? jsonLogger();
    this.newPassword = props.newPassword ?? generatePassword;
  }

  async handle(event: RotationEvent): Promise<void> {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const meta = await this.sm.send(new DescribeSecretCommand({ SecretId: secretId }));
    const name = meta.Name ?? secretId;
    if (!meta.RotationEnabled) throw new Error(`secret ${name} does not have rotation enabled`);
    const versions = meta.VersionIdsToStages ?? {};
    const stages = versions[token];
    if (!stages) throw new Error(`version ${token} of secret ${name} has no stage; start a new rotation`);
    if (stages.includes('AWSCURRENT')) {
      this.log('version is already AWSCURRENT; nothing to do', { secret: name, step });
      return;
    }
    if (!stages.includes('AWSPENDING')) throw new Error(`version ${token} of secret ${name} is not AWSPENDING`);
    const ids = [meta.ARN, meta.Name, secretId];
    const currentVersionId = Object.entries(versions).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
    if (this.isBrokerUserSecret(ids)) return this.restamp(secretId, token, name, step, currentVersionId);
    const { broker, credential } = this.targetOf(ids, name);
    this.log('rotation step', { secret: name, step, broker: broker.brokerName ?? broker.brokerId, engine: broker.engine });
    const strategy = this.props.strategies[broker.engine];

    switch (step) {
      case 'createSecret':
        return this.createSecret(secretId, token, name, broker, credential, currentVersionId, strategy);
      case 'setSecret':
        if (await this.pendingIsCurrent(secretId, token)) {
          this.log('setSecret: AWSPENDING holds the AWSCURRENT value; nothing to set', { secret: name });
          return;
        }
        return strategy.setSecret(await this.context(secretId, token, name, broker, credential, currentVersionId));
      case 'testSecret': {
        const check = await this.configurationTest(secretId, token, name, broker, credential, currentVersionId);
        if (check) return strategy.checkCurrent(check);
        return strategy.testSecret(await this.context(secretId, token, name, broker, credential, currentVersionId));
      }
      case 'finishSecret':
        return this.finishSecret(secretId, token, name, currentVersionId);
      default:
        throw new Error(`unknown rotation step ${String(step)}`);
    }
  }

  /** The broker and credential a secret belongs to, by ARN (or name, for tests that use names). */
  private targetOf(ids: readonly (string | undefined)[], name: string): { broker: BrokerTarget; credential: CredentialTarget } {
    for (const broker of this.props.brokers) {
      for (const credential of broker.credentials) {
        if (ids.includes(credential.secretArn)) return { broker, credential };
      }
    }
    throw new Error(`secret ${name} belongs to no broker this function rotates`);
  }

  private isBrokerUserSecret(ids: readonly (string | undefined)[]): boolean {
    return this.props.brokers.some((b) =>
      b.credentials.some((c) => Object.values(c.brokerUserSecretArns ?? {}).some((arn) => ids.includes(arn))),
    );
  }

  /**
   * A broker-user secret's own schedule (ActiveMQ; it exists for the compliance rules): its value
   * changes only when its pair rotates, so this rotation re-stamps the same value. finishSecret moves
   * AWSCURRENT only if it still holds that value: when a pair's setSecret wrote a newer password in
   * between, it drops AWSPENDING instead, so this can never bring an older password back.
   */
  private async restamp(secretId: string, token: string, name: string, step: string, currentVersionId: string | undefined): Promise<void> {
    const current = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }));
    if (step === 'createSecret') {
      if (await this.exists(secretId, { VersionId: token, VersionStage: 'AWSPENDING' })) return;
      await this.sm.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: current.SecretString,
          VersionStages: ['AWSPENDING'],
        }),
      );
      this.log('createSecret: broker-user secret re-stamped as AWSPENDING (its value changes only with its pair)', { secret: name });
    } else if (step === 'finishSecret') {
      const pending = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
      if (pending.SecretString === current.SecretString) {
        await this.sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: secretId,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: token,
            RemoveFromVersionId: currentVersionId,
          }),
        );
        this.log('finishSecret: broker-user secret re-stamped', { secret: name });
      } else {
        await this.sm.send(
          new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }),
        );
        this.log('finishSecret: its pair wrote a newer password meanwhile; kept it and dropped this re-stamp', { secret: name });
      }
    }
  }

  /** Puts the pending user and a new password as AWSPENDING under the token, unless that version already has a value. */
  private async createSecret(
    secretId: string,
    token: string,
    name: string,
    broker: BrokerTarget,
    credential: CredentialTarget,
    currentVersionId: string | undefined,
    strategy: EngineStrategy,
  ): Promise<void> {
    const currentString = (await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }))).SecretString;
    const current = parseJson(currentString, 'AWSCURRENT');
    if (await this.exists(secretId, { VersionId: token, VersionStage: 'AWSPENDING' })) {
      this.log('createSecret: pending version already has a value', { secret: name });
      return;
    }
    const hold = await strategy.holdReason?.(broker);
    if (hold) {
      // The exact AWSCURRENT string: setSecret does nothing and testSecret only checks AWSCURRENT.
      await this.sm.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: currentString,
          VersionStages: ['AWSPENDING'],
        }),
      );
      this.log(hold, { secret: name, step: 'createSecret', changed: false });
      return;
    }
    const pendingUsername = pendingUserOf(credential, parseCredentials(current, 'AWSCURRENT').username, name);
    const prepared = await strategy.preparedPassword?.({ broker, credential, pendingUsername, currentVersionId });
    // Keys other than username and password (connection hints) are carried over.
    const value = { ...current, username: pendingUsername, password: prepared ?? this.newPassword() };
    await this.sm.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: JSON.stringify(value),
        VersionStages: ['AWSPENDING'],
      }),
    );
    this.log('createSecret: pending version stored', { secret: name, pendingUser: pendingUsername, prepared: prepared !== undefined });
  }

  /** Moves AWSCURRENT to the token's version (Secrets Manager moves AWSPREVIOUS along). */
  private async finishSecret(secretId: string, token: string, name: string, currentVersionId: string | undefined): Promise<void> {
    await this.sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        RemoveFromVersionId: currentVersionId,
      }),
    );
    this.log('finishSecret: pending version is now AWSCURRENT', { secret: name });
  }

  /**
   * When CloudFormation creates or changes a rotation schedule without rotating, Secrets Manager "tests
   * the rotation configuration by running the testSecret step ... The test creates an AWSPENDING version
   * of the secret and then removes it" (API_RotateSecret, RotateImmediately). That version was not made
   * by createSecret: it has no value, or AWSCURRENT's. Then testSecret only proves AWSCURRENT logs in.
   */
  private async configurationTest(
    secretId: string,
    token: string,
    name: string,
    broker: BrokerTarget,
    credential: CredentialTarget,
    currentVersionId: string | undefined,
  ): Promise<RotationContext | undefined> {
    const currentValue = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }));
    let pendingValue: string | undefined;
    try {
      pendingValue = (await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' })))
        .SecretString;
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
    if (pendingValue !== undefined && pendingValue !== currentValue.SecretString) return undefined;
    const current = parseCredentials(currentValue.SecretString, 'AWSCURRENT');
    this.log('testSecret: configuration test (AWSPENDING is not a rotation of ours): checking that AWSCURRENT logs in', { secret: name });
    return { secretArn: credential.secretArn, secretName: name, token, broker, credential, currentVersionId, current, pending: current };
  }

  private async context(
    secretId: string,
    token: string,
    name: string,
    broker: BrokerTarget,
    credential: CredentialTarget,
    currentVersionId: string | undefined,
  ): Promise<RotationContext> {
    const current = parseCredentials(await this.secretValue(secretId, { VersionStage: 'AWSCURRENT' }), 'AWSCURRENT');
    const pending = parseCredentials(await this.secretValue(secretId, { VersionId: token, VersionStage: 'AWSPENDING' }), 'AWSPENDING');
    const expected = pendingUserOf(credential, current.username, name);
    if (pending.username !== expected) {
      throw new Error(
        `secret ${name}: AWSPENDING names ${pending.username}, but this rotation must change ${expected} (the user AWSCURRENT does not name). ` +
          'It was left by an earlier rotation (single-user, or started before the pair changed): remove the AWSPENDING label ' +
          `(aws secretsmanager update-secret-version-stage --secret-id ${name} --version-stage AWSPENDING --remove-from-version-id ${token}) and rotate again`,
      );
    }
    return { secretArn: credential.secretArn, secretName: name, token, broker, credential, currentVersionId, current, pending };
  }

  /** AWSPENDING holds exactly AWSCURRENT's value (a rotation held on a replica, or Secrets Manager's configuration test). */
  private async pendingIsCurrent(secretId: string, token: string): Promise<boolean> {
    const current = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }));
    try {
      const pending = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
      return pending.SecretString !== undefined && pending.SecretString === current.SecretString;
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return false;
      throw e;
    }
  }

  private async secretValue(secretId: string, version: { VersionId?: string; VersionStage: string }): Promise<Record<string, unknown>> {
    const out = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, ...version }));
    return parseJson(out.SecretString, version.VersionStage);
  }

  private async exists(secretId: string, version: { VersionId: string; VersionStage: string }): Promise<boolean> {
    try {
      await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, ...version }));
      return true;
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return false;
      throw e;
    }
  }
}

/** The user a rotation changes: the one of the pair AWSCURRENT does not name; a single user rotates itself. */
export function pendingUserOf(credential: CredentialTarget, currentUsername: string, secretName: string): string {
  if (!credential.partnerUsername) {
    if (currentUsername !== credential.username) {
      throw new Error(
        `secret ${secretName} names ${currentUsername}, but belongs to ${credential.username}; put the right username back (put-secret-value)`,
      );
    }
    return currentUsername;
  }
  if (currentUsername === credential.username) return credential.partnerUsername;
  if (currentUsername === credential.partnerUsername) return credential.username;
  throw new Error(
    `secret ${secretName} names ${currentUsername}, which is neither ${credential.username} nor ${credential.partnerUsername}`,
  );
}

function parseJson(text: string | undefined, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text ?? '');
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`the ${what} secret value is not a JSON object; expected {"username": "...", "password": "..."}`);
}

/** `{"username", "password"}` out of a secret value. */
export function parseCredentials(value: Record<string, unknown> | string | undefined, what: string): Credentials {
  const v = typeof value === 'object' ? value : parseJson(value, what);
  if (typeof v.username !== 'string' || typeof v.password !== 'string' || !v.username || !v.password) {
    throw new Error(`the ${what} secret value lacks a username or password; expected {"username": "...", "password": "..."}`);
  }
  return { username: v.username, password: v.password };
}
