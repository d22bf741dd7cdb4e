import { App } from 'aws-cdk-lib';
import type { ResolvedConfig } from '../config/resolve';
import type { CfnTemplate } from '../review/template-diff';
import { addEnvironment, type AddEnvironmentOptions, type EnvironmentStacks } from './mq-platform-app';
import { normalizeTemplate } from './normalize-template';
import * as cdkJson from '../../cdk.json';

/**
 * An App with the context of cdk.json (feature flags, validation), as `cdk synth` builds it;
 * tests and tools use it so that they see what the CLI would.
 */
export function newApp(outdir?: string): App {
  return new App({ context: { ...cdkJson.context }, outdir });
}

export function synthEnvironment(
  config: ResolvedConfig,
  outdir?: string,
  options?: AddEnvironmentOptions,
): { app: App; stacks: EnvironmentStacks } {
  const app = newApp(outdir);
  const stacks = addEnvironment(app, config, options);
  return { app, stacks };
}

/**
 * The normalized templates of an environment, by stack name: what its snapshots hold. Synthesis
 * runs every validation, the replacement guard of a protected environment included (unless
 * `options.baseline` is false).
 */
export function environmentTemplates(config: ResolvedConfig, options?: AddEnvironmentOptions): Record<string, CfnTemplate> {
  const { app, stacks } = synthEnvironment(config, undefined, options);
  const assembly = app.synth();
  const out: Record<string, CfnTemplate> = {};
  const replicas = (stacks.replicas ?? []).flatMap((r) => [
    r.replicationKey,
    r.stacks.network,
    r.stacks.brokers,
    r.stacks.monitoring,
    ...r.stacks.alarms,
  ]);
  for (const stack of [stacks.network, stacks.brokers, stacks.monitoring, ...stacks.alarms, ...replicas]) {
    if (stack) out[stack.stackName] = normalizeTemplate(assembly.getStackByName(stack.stackName).template) as CfnTemplate;
  }
  return out;
}
