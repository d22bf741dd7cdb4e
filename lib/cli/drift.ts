import * as path from 'node:path';
import type { BrokerCredentials, BrokerDirectory } from '../client/broker-directory';
import { MqPlatformError } from '../client/errors';
import { loadConfigFile } from '../config/load-config';
import type { ResolvedBroker } from '../config/resolve';
import { compareDefinitions, formatDifference, readLive, vhostsOf, type DefinitionDifference } from '../rabbitmq/definitions-apply';
import { DefinitionsClient } from '../rabbitmq/definitions-client';
import { ManagementApiError } from '../rabbitmq/management-client';

/** Exit codes of `mq-platform drift` (its own contract: 0 no drift, 1 drift, 2 error). */
export const DRIFT_EXIT = { NONE: 0, DRIFT: 1, ERROR: 2 } as const;

export interface DriftOptions {
  readonly environment: string;
  /** Short broker name (config `brokers[].name`); every RabbitMQ broker with definitions when absent. */
  readonly broker?: string;
  /** @default `<cwd>/config/<environment>.json` */
  readonly configFile?: string;
  readonly cwd: string;
  /** The management API to read instead of the broker's console URL (one broker only). */
  readonly managementUrl?: string;
  /** The administrator's credentials from a file or the environment; else its secret in Secrets Manager. */
  readonly credentials?: BrokerCredentials;
  readonly directory: () => BrokerDirectory;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  readonly progress?: (label: string) => void;
}

export interface BrokerDrift {
  readonly broker: string;
  readonly managementUrl: string;
  readonly differences: readonly DefinitionDifference[];
}

/**
 * Compares the live definitions of an environment's RabbitMQ brokers with its config, with the code
 * the custom resource applies them with (lib/rabbitmq/definitions-apply.ts), as the administrator.
 */
export async function driftOf(o: DriftOptions): Promise<BrokerDrift[]> {
  const file = o.configFile ?? path.join(o.cwd, 'config', `${o.environment}.json`);
  let brokers: readonly ResolvedBroker[];
  try {
    brokers = loadConfigFile(file).brokers;
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

  const out: BrokerDrift[] = [];
  for (const b of chosen) {
    let url = o.managementUrl;
    let credentials = o.credentials;
    if (!url || !credentials) {
      o.progress?.(`looking up broker ${b.brokerName}`);
      const info = await o.directory().describe(b.brokerName, o.environment);
      url ??= info.instances.find((i) => i.consoleUrl)?.consoleUrl;
      if (!url) throw new MqPlatformError('not-found', `broker ${b.brokerName} has no console URL (state ${info.state})`);
      o.progress?.('reading the administrator secret');
      credentials ??= await o.directory().credentials(info, b.administrator!.username);
    }
    o.progress?.(`reading the definitions of ${b.brokerName}`);
    const client = new DefinitionsClient({ baseUrl: url, credentials, fetch: o.fetch });
    const doc = b.definitions!;
    try {
      out.push({ broker: b.brokerName, managementUrl: url, differences: compareDefinitions(doc, await readLive(client, vhostsOf(doc))) });
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
