import * as fs from 'fs';
import * as path from 'path';
import type { App } from 'aws-cdk-lib';
import { normalizeTemplate } from '../../lib/app/normalize-template';
import type { EnvironmentStacks } from '../../lib/app/mq-platform-app';
import { synthEnvironment } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import type { MqPlatformConfigInput } from '../../lib/config/schema';
import type { Baseline } from '../../lib/review/baseline';
import type { CfnTemplate } from '../../lib/review/template-diff';
import { perRun } from './per-run';

/** The guard's fixture: environment "guarded", protected, an ActiveMQ (2 users) and a RabbitMQ broker. */
export const GUARD_FIXTURE = path.join(__dirname, '..', 'fixtures', 'guarded.json');

export function guardFixture(protectedEnv: boolean, edit: (c: any) => void = () => undefined): MqPlatformConfigInput {
  const raw = JSON.parse(fs.readFileSync(GUARD_FIXTURE, 'utf8'));
  raw.protected = protectedEnv;
  edit(raw);
  return raw;
}

/**
 * Synthesizes a config against a baseline, as `cdk synth` would; `tweak` changes the constructs
 * before synthesis, as a code change would (an override stands for a change in lib/).
 */
export function synthAgainst(
  raw: MqPlatformConfigInput,
  baseline: Baseline | false,
  tweak?: (stacks: EnvironmentStacks, app: App) => void,
): Record<string, CfnTemplate> {
  const config = parseConfig(raw, 'guarded');
  const { app, stacks } = synthEnvironment(config, undefined, { baseline });
  tweak?.(stacks, app);
  const assembly = app.synth();
  const out: Record<string, CfnTemplate> = {};
  for (const stack of [stacks.network, stacks.brokers, stacks.monitoring, ...stacks.alarms]) {
    if (stack) out[stack.stackName] = normalizeTemplate(assembly.getStackByName(stack.stackName).template) as CfnTemplate;
  }
  return out;
}

/**
 * The committed baseline of the fixture, as if its snapshots were at the merge base. Synthesized
 * once per jest run (./per-run.ts): every guard test file compares with the same two baselines.
 */
export function fixtureBaseline(protectedEnv: boolean): Baseline {
  const raw = guardFixture(protectedEnv);
  return {
    ref: 'fixture',
    environment: 'guarded',
    templates: perRun(`guard-fixture baseline ${JSON.stringify(raw)}`, () => synthAgainst(raw, false)),
    snapshotsInWorkingTree: true,
  };
}
