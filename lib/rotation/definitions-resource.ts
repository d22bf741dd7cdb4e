import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { parseDefinitions } from '../rabbitmq/definitions';
import { applyDefinitions } from '../rabbitmq/definitions-apply';
import { DefinitionsClient } from '../rabbitmq/definitions-client';
import type { CustomResourceDeps, CustomResourceResponse } from './custom-resource';
import type { Logger } from './log';
import { administratorClient } from './rabbitmq-strategy';

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
  log('RabbitMqDefinitions: applied', { broker: p.BrokerId, writes: result.writes.length, changes: result.changes });
  return { PhysicalResourceId: physicalId, Data: { Writes: String(result.writes.length) } };
}
