import { App } from 'aws-cdk-lib';
import type { ResolvedConfig } from '../config/resolve';
import { addEnvironment, type EnvironmentStacks } from './mq-platform-app';
import * as cdkJson from '../../cdk.json';

/**
 * An App with the context of cdk.json (feature flags, validation), as `cdk synth` builds it;
 * tests and tools use it so that they see what the CLI would.
 */
export function newApp(outdir?: string): App {
  return new App({ context: { ...cdkJson.context }, outdir });
}

export function synthEnvironment(config: ResolvedConfig, outdir?: string): { app: App; stacks: EnvironmentStacks } {
  const app = newApp(outdir);
  const stacks = addEnvironment(app, config);
  return { app, stacks };
}
