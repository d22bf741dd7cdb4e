import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ROTATION_STEPS, type RotationEvent, type RotationStep } from '../../lib/rotation/types';

interface Version {
  value?: string;
  stages: Set<string>;
}

/**
 * An in-memory Secrets Manager for one secret, behind aws-sdk-client-mock: the calls the rotation
 * function makes, with the label rules of the real service (a label is on one version at a time;
 * moving AWSCURRENT leaves AWSPREVIOUS on the old version; PutSecretValue is idempotent per token).
 */
export class FakeSecretsManager {
  readonly client = new SecretsManagerClient({ region: 'eu-west-1' });
  readonly mock = mockClient(this.client);
  private readonly versions = new Map<string, Version>();
  private counter = 0;

  constructor(
    readonly name: string,
    initial: { username: string; password: string },
  ) {
    this.versions.set('v0', { value: JSON.stringify(initial), stages: new Set(['AWSCURRENT']) });
    this.mock.on(DescribeSecretCommand).callsFake(() => ({
      Name: this.name,
      RotationEnabled: true,
      VersionIdsToStages: Object.fromEntries([...this.versions].filter(([, v]) => v.stages.size).map(([id, v]) => [id, [...v.stages]])),
    }));
    this.mock.on(GetSecretValueCommand).callsFake((input: { VersionId?: string; VersionStage?: string }) => {
      const entry = input.VersionId
        ? this.versions.get(input.VersionId)
        : [...this.versions.values()].find((v) => v.stages.has(input.VersionStage ?? 'AWSCURRENT'));
      if (!entry || entry.value === undefined || (input.VersionStage && !entry.stages.has(input.VersionStage))) {
        throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value", $metadata: {} });
      }
      return { Name: this.name, SecretString: entry.value };
    });
    this.mock
      .on(PutSecretValueCommand)
      .callsFake((input: { ClientRequestToken: string; SecretString: string; VersionStages?: string[] }) => {
        const existing = this.versions.get(input.ClientRequestToken);
        if (existing?.value !== undefined) {
          if (existing.value !== input.SecretString)
            throw new ResourceExistsException({ message: 'version exists with another value', $metadata: {} });
          return {};
        }
        const version = existing ?? { stages: new Set<string>() };
        version.value = input.SecretString;
        this.versions.set(input.ClientRequestToken, version);
        for (const stage of input.VersionStages ?? ['AWSCURRENT']) this.label(stage, input.ClientRequestToken);
        return {};
      });
    this.mock
      .on(UpdateSecretVersionStageCommand)
      .callsFake((input: { VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) => {
        const holder = this.holder(input.VersionStage);
        if (holder && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
          throw new InvalidRequestException({
            message: `${input.VersionStage} is on ${holder}; name it in RemoveFromVersionId`,
            $metadata: {},
          });
        }
        if (input.VersionStage === 'AWSCURRENT' && holder && holder !== input.MoveToVersionId) this.label('AWSPREVIOUS', holder);
        if (input.MoveToVersionId) this.label(input.VersionStage, input.MoveToVersionId);
        return {};
      });
  }

  /** What RotateSecret does before it calls the function: a new version id labelled AWSPENDING, without a value. */
  startRotation(): string {
    const token = `token-${++this.counter}`;
    this.versions.set(token, { stages: new Set() });
    this.label('AWSPENDING', token);
    return token;
  }

  /** Runs the steps in order as Secrets Manager does; stops at the first failure (and rethrows it). */
  async rotate(
    handler: (e: RotationEvent) => Promise<void>,
    token = this.startRotation(),
    steps: readonly RotationStep[] = ROTATION_STEPS,
  ): Promise<string> {
    for (const step of steps) await handler({ SecretId: this.name, ClientRequestToken: token, Step: step });
    if (steps.includes('finishSecret')) this.versions.get(token)?.stages.delete('AWSPENDING');
    return token;
  }

  value(stage: string): { username: string; password: string } | undefined {
    const v = [...this.versions.values()].find((x) => x.stages.has(stage));
    return v?.value ? JSON.parse(v.value) : undefined;
  }

  holder(stage: string): string | undefined {
    return [...this.versions].find(([, v]) => v.stages.has(stage))?.[0];
  }

  private label(stage: string, versionId: string): void {
    for (const v of this.versions.values()) v.stages.delete(stage);
    this.versions.get(versionId)?.stages.add(stage);
  }
}
