/**
 * Secrets Manager as the docs describe it (JSON 1.1 protocol, `X-Amz-Target: secretsmanager.<Op>`):
 * - API reference: https://docs.aws.amazon.com/secretsmanager/latest/apireference/ (CreateSecret,
 *   DescribeSecret, GetSecretValue, PutSecretValue, UpdateSecretVersionStage, RotateSecret, ListSecrets).
 * - Staging labels: a label is on at most one version; moving AWSCURRENT moves AWSPREVIOUS to the
 *   version that had AWSCURRENT (PutSecretValue, UpdateSecretVersionStage).
 * - RotateSecret "starts the asynchronous process of rotating the secret": the service puts
 *   AWSPENDING on a new, empty version under the token, then invokes the rotation function with
 *   createSecret, setSecret, testSecret and finishSecret (user guide, rotate-secrets_lambda.html).
 *   "If the AWSPENDING staging label is present but not attached to the same version as AWSCURRENT,
 *   then any later invocation of RotateSecret assumes that a previous rotation request is still in
 *   progress and returns an error" (API_RotateSecret.html); the emulator then reattempts that rotation.
 * The rotation "Lambda" is an in-process function registered under its ARN.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ServiceError } from './errors';

export type RotationStepName = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
export const STEPS: readonly RotationStepName[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

/** The event Secrets Manager invokes a rotation function with. */
export interface RotationInvocation {
  readonly Step: RotationStepName;
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly RotationToken: string;
}
export type RotationFunction = (event: RotationInvocation) => Promise<unknown>;

interface Version {
  readonly id: string;
  value?: string;
  readonly created: number;
  readonly stages: Set<string>;
}

interface Secret {
  readonly arn: string;
  readonly name: string;
  description?: string;
  rotationLambdaArn?: string;
  rotationRules?: Record<string, unknown>;
  rotationEnabled: boolean;
  lastRotated?: number;
  lastChanged: number;
  readonly created: number;
  tags: { Key: string; Value: string }[];
  readonly versions: Map<string, Version>;
  /** A rotation the emulator is running, so two never run at once for one secret. */
  running?: Promise<void>;
}

export interface RotationOutcome {
  readonly secret: string;
  readonly token: string;
  readonly ok: boolean;
  readonly attempt: number;
  readonly error?: string;
}

export interface SecretsManagerOptions {
  readonly region?: string;
  readonly account?: string;
  /** Invoke every step this many times in a row (Lambda's at-least-once delivery). @default 1 */
  readonly invocationsPerStep?: number;
  /**
   * After a failed step, run the whole rotation again with the same token this many times. Not a
   * documented behaviour (the docs only say a later RotateSecret reattempts it), so off by default. @default 0
   */
  readonly retriesAfterFailure?: number;
  /** Pause before such a retry. @default 0 */
  readonly retryDelayMs?: number;
}

/**
 * Events: `rotation` (RotationOutcome) when a rotation attempt ends; `step` ({secret, step, token, error?}).
 */
export class SecretsManagerEmulator extends EventEmitter {
  private readonly secrets = new Map<string, Secret>();
  private readonly functions = new Map<string, RotationFunction>();
  readonly region: string;
  readonly account: string;
  options: Required<Omit<SecretsManagerOptions, 'region' | 'account'>>;

  constructor(options: SecretsManagerOptions = {}) {
    super();
    this.region = options.region ?? 'eu-west-1';
    this.account = options.account ?? '123456789012';
    this.options = {
      invocationsPerStep: options.invocationsPerStep ?? 1,
      retriesAfterFailure: options.retriesAfterFailure ?? 0,
      retryDelayMs: options.retryDelayMs ?? 0,
    };
  }

  /** Registers an in-process rotation function under a Lambda ARN. */
  registerFunction(arn: string, fn: RotationFunction): void {
    this.functions.set(arn, fn);
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
  }

  /** Resolves when no rotation is running. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.secrets.values()].map((s) => s.running).filter(Boolean);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  /** Test access: the value of a stage, without going through the API. */
  peek(secretId: string, stage = 'AWSCURRENT'): string | undefined {
    const s = this.find(secretId);
    return [...s.versions.values()].find((v) => v.stages.has(stage))?.value;
  }

  handle(op: string, input: Record<string, unknown>): unknown {
    switch (op) {
      case 'CreateSecret':
        return this.createSecret(input);
      case 'DescribeSecret':
        return this.describeSecret(input);
      case 'GetSecretValue':
        return this.getSecretValue(input);
      case 'PutSecretValue':
        return this.putSecretValue(input);
      case 'UpdateSecretVersionStage':
        return this.updateSecretVersionStage(input);
      case 'RotateSecret':
        return this.rotateSecret(input);
      case 'ListSecrets':
        return this.listSecrets(input);
      default:
        throw new ServiceError(400, 'UnknownOperationException', `the emulator does not implement ${op}`);
    }
  }

  private find(id: unknown): Secret {
    if (typeof id !== 'string' || !id) throw new ServiceError(400, 'InvalidParameterException', 'SecretId is required');
    const s = this.secrets.get(id) ?? [...this.secrets.values()].find((x) => x.arn === id);
    if (!s) throw new ServiceError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return s;
  }

  private stageOwner(s: Secret, stage: string): Version | undefined {
    return [...s.versions.values()].find((v) => v.stages.has(stage));
  }

  /** Puts a label on a version, taking it off any other; AWSCURRENT drags AWSPREVIOUS along. */
  private label(s: Secret, stage: string, to: Version): void {
    const from = this.stageOwner(s, stage);
    if (from === to) return;
    from?.stages.delete(stage);
    to.stages.add(stage);
    if (stage === 'AWSCURRENT' && from) {
      this.stageOwner(s, 'AWSPREVIOUS')?.stages.delete('AWSPREVIOUS');
      from.stages.add('AWSPREVIOUS');
    }
    s.lastChanged = Date.now();
  }

  private createSecret(input: Record<string, unknown>): unknown {
    const name = input.Name;
    if (typeof name !== 'string' || !name) throw new ServiceError(400, 'InvalidParameterException', 'Name is required');
    if (this.secrets.has(name))
      throw new ServiceError(400, 'ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    const arn = `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${name}-${randomBytes(3).toString('hex').slice(0, 6)}`;
    const now = Date.now();
    const s: Secret = {
      arn,
      name,
      description: input.Description as string | undefined,
      rotationEnabled: false,
      created: now,
      lastChanged: now,
      tags: (input.Tags as Secret['tags']) ?? [],
      versions: new Map(),
    };
    this.secrets.set(name, s);
    let versionId: string | undefined;
    if (typeof input.SecretString === 'string') {
      versionId = (input.ClientRequestToken as string) ?? randomUUID();
      s.versions.set(versionId, { id: versionId, value: input.SecretString, created: now, stages: new Set(['AWSCURRENT']) });
    }
    return { ARN: arn, Name: name, ...(versionId ? { VersionId: versionId } : {}) };
  }

  private describeSecret(input: Record<string, unknown>): unknown {
    const s = this.find(input.SecretId);
    return {
      ARN: s.arn,
      Name: s.name,
      ...(s.description ? { Description: s.description } : {}),
      RotationEnabled: s.rotationEnabled,
      ...(s.rotationLambdaArn ? { RotationLambdaARN: s.rotationLambdaArn } : {}),
      ...(s.rotationRules ? { RotationRules: s.rotationRules } : {}),
      ...(s.lastRotated ? { LastRotatedDate: s.lastRotated / 1000 } : {}),
      LastChangedDate: s.lastChanged / 1000,
      CreatedDate: s.created / 1000,
      Tags: s.tags,
      VersionIdsToStages: Object.fromEntries([...s.versions.values()].filter((v) => v.stages.size > 0).map((v) => [v.id, [...v.stages]])),
    };
  }

  private getSecretValue(input: Record<string, unknown>): unknown {
    const s = this.find(input.SecretId);
    const versionId = input.VersionId as string | undefined;
    const stage = (input.VersionStage as string | undefined) ?? (versionId ? undefined : 'AWSCURRENT');
    const v = versionId ? s.versions.get(versionId) : this.stageOwner(s, stage!);
    if (!v || (stage && !v.stages.has(stage)) || v.value === undefined) {
      throw new ServiceError(
        400,
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`}`,
      );
    }
    return {
      ARN: s.arn,
      Name: s.name,
      VersionId: v.id,
      SecretString: v.value,
      VersionStages: [...v.stages],
      CreatedDate: v.created / 1000,
    };
  }

  private putSecretValue(input: Record<string, unknown>): unknown {
    const s = this.find(input.SecretId);
    if (typeof input.SecretString !== 'string')
      throw new ServiceError(400, 'InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
    const token = (input.ClientRequestToken as string) ?? randomUUID();
    const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
    let v = s.versions.get(token);
    if (v?.value !== undefined) {
      // Idempotent per token: the same value again is fine, another value is refused.
      if (v.value !== input.SecretString) {
        throw new ServiceError(
          400,
          'ResourceExistsException',
          `A resource with the ID you requested already exists: version ${token} has another value.`,
        );
      }
    } else {
      v ??= { id: token, created: Date.now(), stages: new Set() };
      v.value = input.SecretString;
      s.versions.set(token, v);
    }
    for (const stage of stages) this.label(s, stage, v);
    return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: [...v.stages] };
  }

  private updateSecretVersionStage(input: Record<string, unknown>): unknown {
    const s = this.find(input.SecretId);
    const stage = input.VersionStage as string;
    const move = input.MoveToVersionId as string | undefined;
    const remove = input.RemoveFromVersionId as string | undefined;
    if (!stage) throw new ServiceError(400, 'InvalidParameterException', 'VersionStage is required');
    const owner = this.stageOwner(s, stage);
    if (move) {
      const to = s.versions.get(move);
      if (!to) throw new ServiceError(400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret version: ${move}`);
      if (owner && owner !== to && owner.id !== remove) {
        throw new ServiceError(
          400,
          'InvalidParameterException',
          `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${owner.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
        );
      }
      this.label(s, stage, to);
    } else if (remove) {
      if (!owner || owner.id !== remove)
        throw new ServiceError(400, 'InvalidParameterException', `Staging label ${stage} is not attached to version ${remove}`);
      if (stage === 'AWSCURRENT') throw new ServiceError(400, 'InvalidParameterException', 'You can only move AWSCURRENT, not remove it.');
      owner.stages.delete(stage);
    }
    return { ARN: s.arn, Name: s.name };
  }

  private listSecrets(input: Record<string, unknown>): unknown {
    const filters = (input.Filters as { Key: string; Values: string[] }[] | undefined) ?? [];
    const list = [...this.secrets.values()].filter((s) =>
      filters.every((f) =>
        f.Key === 'name' ? f.Values.some((v) => s.name.startsWith(v)) : f.Key === 'all' ? f.Values.some((v) => s.name.includes(v)) : true,
      ),
    );
    return {
      SecretList: list.map((s) => ({
        ARN: s.arn,
        Name: s.name,
        RotationEnabled: s.rotationEnabled,
        ...(s.rotationLambdaArn ? { RotationLambdaARN: s.rotationLambdaArn } : {}),
        Tags: s.tags,
        SecretVersionsToStages: Object.fromEntries([...s.versions.values()].filter((v) => v.stages.size).map((v) => [v.id, [...v.stages]])),
      })),
    };
  }

  private rotateSecret(input: Record<string, unknown>): unknown {
    const s = this.find(input.SecretId);
    if (input.RotationLambdaARN) s.rotationLambdaArn = input.RotationLambdaARN as string;
    if (input.RotationRules) s.rotationRules = input.RotationRules as Record<string, unknown>;
    if (!s.rotationLambdaArn) {
      throw new ServiceError(
        400,
        'InvalidRequestException',
        "You tried to enable rotation on a secret that doesn't already have a Lambda function ARN configured",
      );
    }
    s.rotationEnabled = true;
    const current = this.stageOwner(s, 'AWSCURRENT');
    const pending = this.stageOwner(s, 'AWSPENDING');
    if (pending && pending !== current) {
      if (!s.running) this.startRotation(s, pending.id);
      throw new ServiceError(400, 'InvalidRequestException', "A previous rotation isn't complete. That rotation will be reattempted.");
    }
    if (input.RotateImmediately === false) return { ARN: s.arn, Name: s.name };
    if (s.running)
      throw new ServiceError(400, 'InvalidRequestException', "A previous rotation isn't complete. That rotation will be reattempted.");
    const token = (input.ClientRequestToken as string) ?? randomUUID();
    const v: Version = s.versions.get(token) ?? { id: token, created: Date.now(), stages: new Set() };
    s.versions.set(token, v);
    this.label(s, 'AWSPENDING', v);
    this.startRotation(s, token);
    return { ARN: s.arn, Name: s.name, VersionId: token };
  }

  private startRotation(s: Secret, token: string): void {
    const fn = this.functions.get(s.rotationLambdaArn ?? '');
    const run = async () => {
      for (let attempt = 1; attempt <= 1 + this.options.retriesAfterFailure; attempt++) {
        if (attempt > 1 && this.options.retryDelayMs) await new Promise((r) => setTimeout(r, this.options.retryDelayMs));
        // One RotationToken per rotation attempt, shared by its steps.
        const rotationToken = randomUUID();
        try {
          if (!fn) throw new Error(`no function registered as ${s.rotationLambdaArn}`);
          for (const step of STEPS) {
            for (let i = 0; i < this.options.invocationsPerStep; i++) {
              try {
                await fn({ Step: step, SecretId: s.arn, ClientRequestToken: token, RotationToken: rotationToken });
                this.emit('step', { secret: s.name, step, token });
              } catch (e) {
                this.emit('step', { secret: s.name, step, token, error: (e as Error).message });
                throw e;
              }
            }
          }
          // The service checks the function's work: the token's version must now be AWSCURRENT.
          if (!s.versions.get(token)?.stages.has('AWSCURRENT'))
            throw new Error(`finishSecret returned but version ${token} is not AWSCURRENT`);
          s.lastRotated = Date.now();
          this.emit('rotation', { secret: s.name, token, ok: true, attempt } satisfies RotationOutcome);
          return;
        } catch (e) {
          this.emit('rotation', { secret: s.name, token, ok: false, attempt, error: (e as Error).message } satisfies RotationOutcome);
        }
      }
    };
    s.running = run().finally(() => {
      s.running = undefined;
    });
  }
}
