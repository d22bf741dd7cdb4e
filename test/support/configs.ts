import * as fs from 'fs';
import { configPathForStage, parseConfig } from '../../lib/config/load-config';
import type { ResolvedConfig } from '../../lib/config/resolve';
import { shippedStageNames } from '../../lib/config/stages';
import type { MqPlatformConfigInput } from '../../lib/config/schema';

export function rawStageConfig(stage: string): MqPlatformConfigInput {
  return JSON.parse(fs.readFileSync(configPathForStage(stage), 'utf8'));
}

export function stageConfig(stage: string): ResolvedConfig {
  return parseConfig(rawStageConfig(stage), stage);
}

/** Every config file shipped in config/. */
export const shippedStages = shippedStageNames;

/** A small valid config to vary in tests. */
export function minimalConfig(overrides: Partial<MqPlatformConfigInput> = {}): MqPlatformConfigInput {
  return {
    environment: 'test',
    region: 'eu-west-1',
    network: { mode: 'create', cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    brokers: [
      {
        name: 'amq',
        engine: 'ACTIVEMQ',
        engineVersion: '5.19',
        deploymentMode: 'SINGLE_INSTANCE',
        instanceType: 'mq.m5.large',
        clients: [{ name: 'apps', cidr: '10.1.0.0/16' }],
        users: [{ username: 'app' }],
        rotation: { acceptRebootDowntime: true },
      },
      {
        name: 'rmq',
        engine: 'RABBITMQ',
        engineVersion: '4.2',
        deploymentMode: 'CLUSTER_MULTI_AZ',
        instanceType: 'mq.m7g.large',
        clients: [{ name: 'apps', cidr: '10.1.0.0/16' }],
        administrator: { username: 'admin' },
        users: [{ username: 'app' }],
      },
    ],
    ...overrides,
  };
}
