import type { SecretsManagerRotationEvent, SecretsManagerRotationEventStep } from 'aws-lambda';

/** The four steps Secrets Manager calls a rotation function with, in order. */
export const ROTATION_STEPS: readonly SecretsManagerRotationEventStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
export type RotationStep = SecretsManagerRotationEventStep;
/** What Secrets Manager sends for each step (`@types/aws-lambda`). */
export type RotationEvent = SecretsManagerRotationEvent;

import type { BrokerTarget, CredentialTarget } from '../contract/rotation';

export {
  BROKERS_ENV,
  PARTNER_SUFFIX,
  partnerUsername,
  REBOOT_LEASE_TAG,
  type BrokerTarget,
  type CredentialTarget,
} from '../contract/rotation';

/** The JSON of every broker user secret: `{"username", "password", ...}`; other keys are kept as they are. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Endpoints as a list, from a list or a comma-separated string (what Fn::Join gives the environment). */
export function endpointList(endpoints: string | readonly string[] | undefined): string[] {
  if (endpoints === undefined) return [];
  return (typeof endpoints === 'string' ? endpoints.split(',') : [...endpoints]).map((e) => e.trim()).filter(Boolean);
}

/** The secret being rotated and the versions involved, handed to an engine strategy. */
export interface RotationContext {
  readonly secretArn: string;
  readonly secretName: string;
  readonly token: string;
  readonly broker: BrokerTarget;
  readonly credential: CredentialTarget;
  /** Version id that holds AWSCURRENT. */
  readonly currentVersionId?: string;
  /** The AWSCURRENT credentials. */
  readonly current: Credentials;
  /** The AWSPENDING credentials of this rotation (created by createSecret). */
  readonly pending: Credentials;
}

/** What createSecret needs to choose the pending password. */
export interface PrepareContext {
  readonly broker: BrokerTarget;
  readonly credential: CredentialTarget;
  readonly pendingUsername: string;
  readonly currentVersionId?: string;
}

/** What differs per engine: putting the pending password on the broker and proving it works there. */
export interface EngineStrategy {
  /** A password already prepared for the pending user (ActiveMQ batch); undefined: createSecret generates one. */
  preparedPassword?(ctx: PrepareContext): Promise<string | undefined>;
  setSecret(ctx: RotationContext): Promise<void>;
  testSecret(ctx: RotationContext): Promise<void>;
  /**
   * Secrets Manager's configuration test (a schedule created or changed without rotating runs testSecret
   * on an AWSPENDING version it makes and removes): proves the AWSCURRENT credentials log in, changing nothing.
   */
  checkCurrent(ctx: RotationContext): Promise<void>;
  /**
   * Why this broker's passwords must not change now (an ActiveMQ CRDR replica), or undefined. With a
   * reason, createSecret stores AWSCURRENT's value as AWSPENDING, so the rotation changes nothing.
   */
  holdReason?(broker: BrokerTarget): Promise<string | undefined>;
}
