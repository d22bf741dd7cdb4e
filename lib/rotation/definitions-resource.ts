import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { parseDefinitions } from '../rabbitmq/definitions';
import {
  applyDefinitions,
  compareDefinitions,
  compareUsers,
  readLive,
  vhostsOf,
  type DefinitionDifference,
  type UserExpectation,
} from '../rabbitmq/definitions-apply';
import { DefinitionsClient } from '../rabbitmq/definitions-client';
import type { CustomResourceDeps, CustomResourceResponse } from './custom-resource';
import type { Logger } from './log';
import { administratorClient } from './rabbitmq-strategy';
import type { BrokerTarget } from './types';

/** Properties of `Custom::MqPlatformRabbitMqDefinitions` (lib/constructs/rotation/credential-rotation.ts). */
export interface RabbitMqDefinitionsProperties {
  readonly Kind: 'RabbitMqDefinitions';
  readonly BrokerId: string;
  readonly ManagementUrl: string;
  readonly AdministratorSecretArn: string;
  /** The definitions document as JSON (lib/rabbitmq/definitions.ts): a string keeps its numbers and booleans through CloudFormation. */
  readonly Definitions: string;
}

/**
 * Applies a broker's definitions as the administrator. Update: what the old properties declared and
 * the new ones do not is deleted (only that: it is what this resource created), unless the broker
 * changed. Delete: everything stays on the broker (retained, like the users and their secrets), so
 * that neither removing the resource nor a logical-id change deletes a queue.
 */
export async function rabbitMqDefinitions(
  event: CloudFormationCustomResourceEvent,
  p: RabbitMqDefinitionsProperties,
  deps: CustomResourceDeps,
  log: Logger,
): Promise<CustomResourceResponse> {
  const physicalId = `rabbitmq-definitions/${p.BrokerId}`;
  if (event.RequestType === 'Delete') {
    log('RabbitMqDefinitions delete: the definitions stay on the broker (retained)', { broker: p.BrokerId });
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const old =
    event.RequestType === 'Update' ? (event.OldResourceProperties as unknown as Partial<RabbitMqDefinitionsProperties>) : undefined;
  // A replaced broker starts empty: nothing of the old document is on it.
  const previous = old && old.BrokerId === p.BrokerId ? parseDefinitions(old.Definitions) : undefined;
  const { credentials } = await administratorClient(
    deps.secretsManager,
    {
      engine: 'RABBITMQ',
      brokerId: p.BrokerId,
      brokerArn: '',
      managementUrl: p.ManagementUrl,
      administratorSecretArn: p.AdministratorSecretArn,
      credentials: [],
    },
    deps.fetch,
  );
  const client = new DefinitionsClient({ baseUrl: p.ManagementUrl, credentials, fetch: deps.fetch });
  const result = await applyDefinitions(client, parseDefinitions(p.Definitions), { previous, log });
  log('RabbitMqDefinitions: applied', { broker: p.BrokerId, writes: result.writes.length, changes: result.changes, kept: result.kept });
  return { PhysicalResourceId: physicalId, Data: { Writes: String(result.writes.length), Kept: String(result.kept.length) } };
}

/**
 * `mq-platform drift` invokes the function with this event: the function is in the broker's subnets
 * and may read the administrator's secret, which operators may not. It only reads.
 */
export interface DefinitionsDriftEvent {
  readonly MqPlatformAction: 'RabbitMqDefinitionsDrift';
  /** Amazon MQ broker name (`<name>-<environment>`), one of the function's brokers. */
  readonly BrokerName: string;
  /** The document to compare with, as JSON (lib/rabbitmq/definitions.ts). */
  readonly Definitions: string;
  /** The application users to compare too (UserExpectation[] as JSON). @default none */
  readonly Users?: string;
}

export interface DefinitionsDriftResult {
  readonly broker: string;
  readonly differences: readonly DefinitionDifference[];
}

export function isDefinitionsDriftEvent(event: unknown): event is DefinitionsDriftEvent {
  return (
    typeof event === 'object' && event !== null && (event as { MqPlatformAction?: unknown }).MqPlatformAction === 'RabbitMqDefinitionsDrift'
  );
}

/** Compares a broker's live definitions with the document the CLI sent, as the administrator. */
export async function definitionsDrift(
  event: DefinitionsDriftEvent,
  brokers: readonly BrokerTarget[],
  deps: CustomResourceDeps,
  log: Logger,
): Promise<DefinitionsDriftResult> {
  const target = brokers.find((b) => b.engine === 'RABBITMQ' && b.brokerName === event.BrokerName);
  if (!target) {
    const known = brokers.filter((b) => b.engine === 'RABBITMQ').map((b) => b.brokerName);
    throw new Error(`drift: ${event.BrokerName} is not a RabbitMQ broker of this function; its brokers: ${known.join(', ') || '(none)'}`);
  }
  const { credentials } = await administratorClient(deps.secretsManager, target, deps.fetch);
  const client = new DefinitionsClient({ baseUrl: target.managementUrl!, credentials, fetch: deps.fetch });
  const doc = parseDefinitions(event.Definitions);
  const users = event.Users ? (JSON.parse(event.Users) as UserExpectation[]) : [];
  const differences = [...compareDefinitions(doc, await readLive(client, vhostsOf(doc))), ...(await compareUsers(client, users))];
  log('RabbitMqDefinitionsDrift', { broker: event.BrokerName, differences: differences.length });
  return { broker: event.BrokerName, differences };
}
