import * as path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { classifyAwsError } from '../client/aws-errors';
import type { BrokerCredentials } from '../client/broker-directory';
import { MqPlatformError } from '../client/errors';
import { loadConfigFile } from '../config/load-config';
import type { ResolvedBroker } from '../config/resolve';
import {
  compareDefinitions,
  compareUsers,
  formatDifference,
  readLive,
  vhostsOf,
  type DefinitionDifference,
  type UserExpectation,
} from '../rabbitmq/definitions-apply';
import { DefinitionsClient } from '../rabbitmq/definitions-client';
import { ManagementApiError } from '../rabbitmq/management-client';
import type { DefinitionsDriftEvent, DefinitionsDriftResult } from '../rotation/definitions-resource';

/** The environment's credential rotation function (MqCredentialRotation: `<resource prefix>-credential-rotation`). */
export function rotationFunctionName(resourcePrefix: string): string {
  return `${resourcePrefix}-credential-rotation`;
}

/** Exit codes of `mq-platform drift` (its own contract: 0 no drift, 1 drift, 2 error). */
export const DRIFT_EXIT = { NONE: 0, DRIFT: 1, ERROR: 2 } as const;

export interface DriftOptions {
  readonly environment: string;
  /** Short broker name (config `brokers[].name`); every RabbitMQ broker with definitions when absent. */
  readonly broker?: string;
  /** @default `<cwd>/config/<environment>.json` */
  readonly configFile?: string;
  readonly cwd: string;
  /**
   * Read this management API directly (one broker; a tunnel or a local broker) with `credentials`,
   * instead of asking the environment's credential rotation function, which runs in the brokers'
   * subnets and alone may read the administrator's secret.
   */
  readonly managementUrl?: string;
  /** The administrator's credentials, with `managementUrl`. */
  readonly credentials?: BrokerCredentials;
  /** Invokes the rotation function (lambda:InvokeFunction) with a drift event; resolves to its answer. */
  readonly invoke: (functionName: string, event: DefinitionsDriftEvent) => Promise<unknown>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  readonly progress?: (label: string) => void;
}

export interface BrokerDrift {
  readonly broker: string;
  /** The rotation function asked, or the management API read. */
  readonly via: string;
  readonly differences: readonly DefinitionDifference[];
}

/**
 * Compares the live definitions of an environment's RabbitMQ brokers with its config, with the code
 * the custom resource applies them with (lib/rabbitmq/definitions-apply.ts), as the administrator.
 */
export async function driftOf(o: DriftOptions): Promise<BrokerDrift[]> {
  const file = o.configFile ?? path.join(o.cwd, 'config', `${o.environment}.json`);
  let brokers: readonly ResolvedBroker[];
  let functionName: string;
  try {
    const plan = loadConfigFile(file);
    brokers = plan.brokers;
    functionName = rotationFunctionName(plan.names.resourcePrefix);
  } catch (e) {
    throw new MqPlatformError('usage', (e as Error).message.split('\n')[0], { hint: 'fix the config, or pass --config <file>' });
  }
  const withDefinitions = brokers.filter((b) => b.engine === 'RABBITMQ' && b.definitions);
  const chosen = o.broker ? withDefinitions.filter((b) => b.name === o.broker || b.brokerName === o.broker) : withDefinitions;
  if (chosen.length === 0)
    throw new MqPlatformError(
      'not-found',
      o.broker ? `${file} has no RabbitMQ broker "${o.broker}" with definitions` : `${file} has no RabbitMQ broker with definitions`,
      { hint: `brokers with definitions: ${withDefinitions.map((b) => b.name).join(', ') || '(none)'}` },
    );
  if (o.managementUrl && chosen.length > 1)
    throw new MqPlatformError('usage', '--management-url reads one broker', { hint: `name it: ${chosen.map((b) => b.name).join(', ')}` });

  if (o.managementUrl && !o.credentials)
    throw new MqPlatformError('usage', "--management-url needs the administrator's credentials", {
      hint: 'pass --secret-json-file <file> or set MQ_PLATFORM_USERNAME/MQ_PLATFORM_PASSWORD',
    });

  const out: BrokerDrift[] = [];
  for (const b of chosen) {
    const doc = b.definitions!;
    // Both users of every application pair, as the users custom resource keeps them.
    const users: UserExpectation[] = b.users.flatMap((u) =>
      [u.username, u.partnerUsername].map((username) => ({ username, tags: u.tags, permissions: u.permissions })),
    );
    if (!o.managementUrl) {
      o.progress?.(`asking ${functionName} about ${b.brokerName}`);
      const answer = (await o.invoke(functionName, {
        MqPlatformAction: 'RabbitMqDefinitionsDrift',
        BrokerName: b.brokerName,
        Definitions: JSON.stringify(doc),
        Users: JSON.stringify(users),
      })) as DefinitionsDriftResult;
      out.push({ broker: b.brokerName, via: functionName, differences: answer.differences });
      continue;
    }
    const url = o.managementUrl;
    o.progress?.(`reading the definitions of ${b.brokerName}`);
    const client = new DefinitionsClient({ baseUrl: url, credentials: o.credentials!, fetch: o.fetch });
    try {
      const differences = [...compareDefinitions(doc, await readLive(client, vhostsOf(doc))), ...(await compareUsers(client, users))];
      out.push({ broker: b.brokerName, via: url, differences });
    } catch (e) {
      if (e instanceof ManagementApiError)
        throw new MqPlatformError(e.kind === 'auth' ? 'auth' : e.kind === 'unreachable' ? 'network' : 'protocol', e.message, {
          hint: e.kind === 'unreachable' ? 'the management API is reachable only from inside the VPC (port 443)' : undefined,
        });
      throw e;
    }
  }
  return out;
}

/** What `drift` prints: per broker, "no drift" or one line per difference. */
export function renderDrift(result: readonly BrokerDrift[]): string {
  return result
    .map((r) =>
      r.differences.length === 0
        ? `${r.broker}: no drift`
        : [
            `${r.broker}: ${r.differences.length} difference${r.differences.length === 1 ? '' : 's'}`,
            ...r.differences.map((d) => `  ${formatDifference(d)}`),
          ].join('\n'),
    )
    .join('\n');
}

/** Invokes the rotation function synchronously with the SDK's credential chain (lambda:InvokeFunction). */
export function lambdaInvoker(props: { region?: string; profile?: string }): DriftOptions['invoke'] {
  let client: LambdaClient | undefined;
  return async (functionName, event) => {
    client ??= new LambdaClient({ region: props.region, profile: props.profile });
    let out;
    try {
      out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
    } catch (e) {
      throw classifyAwsError(e, `invoking ${functionName}`, props.region);
    }
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError) {
      const reason = (JSON.parse(text || '{}') as { errorMessage?: string }).errorMessage ?? out.FunctionError;
      throw new MqPlatformError('protocol', `${functionName}: ${reason}`, { hint: `read the log group of ${functionName}` });
    }
    return JSON.parse(text) as unknown;
  };
}
