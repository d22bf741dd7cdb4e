import * as fs from 'fs';
import * as path from 'path';
import { configPathForStage, parseConfig, parseConfigText } from '../../lib/config/load-config';
import type { ResolvedConfig } from '../../lib/config/resolve';
import { shippedStageNames } from '../../lib/config/stages';
import type { MqPlatformConfigInput } from '../../lib/config/schema';

export function rawStageConfig(stage: string): MqPlatformConfigInput {
  const file = configPathForStage(stage);
  return parseConfigText(fs.readFileSync(file, 'utf8'), file) as MqPlatformConfigInput;
}

export function stageConfig(stage: string): ResolvedConfig {
  return parseConfig(rawStageConfig(stage), stage);
}

/** Every config file shipped in config/: only the snapshot tests and the validity check read them. */
export const shippedStages = shippedStageNames;

/**
 * Behaviour tests read these fixtures, never the shipped configs, so that a team's edits to
 * config/*.json never break the project's tests. `dev` is an unprotected environment with a
 * single-instance ActiveMQ and RabbitMQ broker; `production` is protected, with an active/standby
 * ActiveMQ broker and a RabbitMQ cluster (no committed snapshots, so the replacement guard has no
 * baseline unless a test gives one).
 */
export const FIXTURES = ['dev', 'production'] as const;
export type FixtureName = (typeof FIXTURES)[number];
export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures');

export function rawFixture(name: FixtureName): MqPlatformConfigInput {
  const file = path.join(FIXTURE_DIR, `${name}.json`);
  return parseConfigText(fs.readFileSync(file, 'utf8'), file) as MqPlatformConfigInput;
}

export function fixtureConfig(name: FixtureName): ResolvedConfig {
  return parseConfig(rawFixture(name), `test/fixtures/${name}.json`);
}

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
