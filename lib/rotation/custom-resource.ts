import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { RabbitMqManagementClient, type RabbitMqPermission } from '../rabbitmq/management-client';
import { rabbitMqDefinitions, type RabbitMqDefinitionsProperties } from './definitions-resource';
import { jsonLogger, type Logger } from './log';
import { administratorClient } from './rabbitmq-strategy';
import { parseCredentials } from './secret-rotator';
import type { BrokerTarget } from './types';

/**
 * CloudFormation custom resources served by the rotation function (through the provider framework:
 * the handler returns `{ PhysicalResourceId, Data }`). Contract: ROTATION-CONTRACT.md section 7.
 */
export interface RabbitMqUserProperties {
  readonly Kind: 'RabbitMqUser';
  readonly BrokerId: string;
  readonly ManagementUrl: string;
  readonly AdministratorSecretArn: string;
  /** The application secret of the pair. */
  readonly SecretArn: string;
  readonly Username: string;
  readonly PartnerUsername: string;
  /** @default [] */
  readonly Tags?: readonly string[];
  readonly Permissions: readonly { readonly Vhost: string; readonly Configure: string; readonly Write: string; readonly Read: string }[];
}

export interface SeedBrokerUserSecretProperties {
  readonly Kind: 'SeedBrokerUserSecret';
  /** The application secret whose AWSCURRENT holds the user's password today. */
  readonly SourceSecretArn: string;
  /** The broker-user secret of that user (what the broker resource's Users reference). */
  readonly TargetSecretArn: string;
  readonly Username: string;
}

export type MqPlatformResourceProperties = RabbitMqUserProperties | SeedBrokerUserSecretProperties | RabbitMqDefinitionsProperties;

export interface CustomResourceResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface CustomResourceDeps {
  readonly secretsManager: SecretsManagerClient;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default jsonLogger() */
  readonly log?: Logger;
}

export function isCustomResourceEvent(event: unknown): event is CloudFormationCustomResourceEvent {
  return typeof event === 'object' && event !== null && 'RequestType' in event && 'ResourceProperties' in event;
}

export async function onCustomResourceEvent(
  event: CloudFormationCustomResourceEvent,
  deps: CustomResourceDeps,
): Promise<CustomResourceResponse> {
  const log = deps.log ?? jsonLogger();
  const props = event.ResourceProperties as unknown as MqPlatformResourceProperties;
  log('custom resource event', { requestType: event.RequestType, kind: props.Kind, logicalId: event.LogicalResourceId });
  switch (props.Kind) {
    case 'RabbitMqUser':
      return rabbitMqUser(event, props, deps, log);
    case 'SeedBrokerUserSecret':
      return seedBrokerUserSecret(event, props, deps, log);
    case 'RabbitMqDefinitions':
      return rabbitMqDefinitions(event, props, deps, log);
    default:
      throw new Error(`unknown custom resource kind ${String((props as { Kind?: unknown }).Kind)}`);
  }
}

/**
 * Creates both users of an application pair and keeps their tags and permissions as declared. Never
 * changes a password that exists: the user AWSCURRENT names gets its password only when created, its
 * partner is created without a password (it cannot log in until its first rotation). Delete keeps the
 * users, like the secrets (RETAIN).
 */
async function rabbitMqUser(
  event: CloudFormationCustomResourceEvent,
  p: RabbitMqUserProperties,
  deps: CustomResourceDeps,
  log: Logger,
): Promise<CustomResourceResponse> {
  const physicalId = `rabbitmq-user/${p.BrokerId}/${p.Username}`;
  const data = { Username: p.Username, PartnerUsername: p.PartnerUsername };
  if (event.RequestType === 'Delete') {
    log('RabbitMqUser delete: the users stay on the broker (retained like their secrets)', { user: p.Username });
    return { PhysicalResourceId: event.PhysicalResourceId, Data: data };
  }
  const broker: BrokerTarget = {
    engine: 'RABBITMQ',
    brokerId: p.BrokerId,
    brokerArn: '',
    managementUrl: p.ManagementUrl,
    administratorSecretArn: p.AdministratorSecretArn,
    credentials: [],
  };
  const { client: admin } = await administratorClient(deps.secretsManager, broker, deps.fetch);
  const wanted: RabbitMqPermission[] = p.Permissions.map((x) => ({ vhost: x.Vhost, configure: x.Configure, write: x.Write, read: x.Read }));
  for (const { vhost } of wanted) {
    if (!(await admin.vhostExists(vhost)))
      throw new Error(`vhost ${vhost} does not exist on broker ${p.BrokerId}; declare it (definitions) before users that need it`);
  }
  const tags = [...(p.Tags ?? [])];
  const app = parseCredentials(
    (await deps.secretsManager.send(new GetSecretValueCommand({ SecretId: p.SecretArn, VersionStage: 'AWSCURRENT' }))).SecretString,
    'AWSCURRENT',
  );
  for (const user of [p.Username, p.PartnerUsername]) {
    await ensureUser(admin, user, app.username === user ? app.password : undefined, tags, log);
    const existing = await admin.userPermissions(user);
    for (const x of wanted) await admin.putPermission(user, x);
    for (const old of existing) {
      if (!wanted.some((w) => w.vhost === old.vhost)) await admin.deletePermission(user, old.vhost);
    }
  }
  log('RabbitMqUser: pair in place', { user: p.Username, partner: p.PartnerUsername, vhosts: wanted.map((w) => w.vhost) });
  return { PhysicalResourceId: physicalId, Data: data };
}

async function ensureUser(
  admin: RabbitMqManagementClient,
  name: string,
  password: string | undefined,
  tags: readonly string[],
  log: Logger,
): Promise<void> {
  const existing = await admin.getUser(name);
  if (!existing) {
    // No password at all: the partner cannot log in until its first rotation sets one.
    await admin.putUser(name, password === undefined ? {} : { password }, tags);
    log('RabbitMqUser: user created', { user: name, withPassword: password !== undefined });
    return;
  }
  if (sameTags(existing.tags, tags)) return;
  // PUT replaces the user: passing its own hash back keeps the password as it is.
  const hash = existing.password_hash ?? '';
  await admin.putUser(name, hash ? { password_hash: hash, hashing_algorithm: existing.hashing_algorithm } : {}, tags);
  log('RabbitMqUser: tags updated, password kept', { user: name });
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return [...a].sort().join(',') === [...b].sort().join(',');
}

/**
 * Migration of an ActiveMQ pair: the A user's broker-user secret starts with the password the broker
 * already has for it (the application secret's AWSCURRENT), so the broker resource's new reference
 * resolves to the same value. Create only: afterwards rotation owns the value.
 */
async function seedBrokerUserSecret(
  event: CloudFormationCustomResourceEvent,
  p: SeedBrokerUserSecretProperties,
  deps: CustomResourceDeps,
  log: Logger,
): Promise<CustomResourceResponse> {
  const physicalId = `seed/${p.TargetSecretArn}`;
  if (event.RequestType !== 'Create') return { PhysicalResourceId: event.PhysicalResourceId };
  const source = parseCredentials(
    (await deps.secretsManager.send(new GetSecretValueCommand({ SecretId: p.SourceSecretArn, VersionStage: 'AWSCURRENT' }))).SecretString,
    'AWSCURRENT',
  );
  if (source.username !== p.Username) {
    throw new Error(
      `${p.SourceSecretArn} names ${source.username}, not ${p.Username}: the pair already alternated; put ${p.Username}'s password into ${p.TargetSecretArn} by hand`,
    );
  }
  let target: { password?: string } | undefined;
  try {
    target = JSON.parse(
      (await deps.secretsManager.send(new GetSecretValueCommand({ SecretId: p.TargetSecretArn, VersionStage: 'AWSCURRENT' })))
        .SecretString ?? '{}',
    ) as { password?: string };
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  if (target?.password !== source.password) {
    await deps.secretsManager.send(
      new PutSecretValueCommand({
        SecretId: p.TargetSecretArn,
        ClientRequestToken: randomUUID(),
        SecretString: JSON.stringify({ username: p.Username, password: source.password }),
      }),
    );
  }
  log('SeedBrokerUserSecret: broker-user secret holds the password the broker has', { user: p.Username });
  return { PhysicalResourceId: physicalId };
}
