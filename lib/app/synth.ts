import { App } from 'aws-cdk-lib';
import type { ResolvedConfig } from '../config/resolve';
import type { CfnTemplate } from '../review/template-diff';
import { addEnvironment, type AddEnvironmentOptions, type EnvironmentStacks } from './mq-platform-app';
import { normalizeTemplate } from './normalize-template';
import * as cdkJson from '../../cdk.json';

/** How newApp() builds an App; what a caller leaves out comes from the defaults (setAppDefaults). */
export interface AppOptions {
  /**
   * Where synthesis writes the cloud assembly.
   * @default - a new folder under the OS temporary directory
   */
  readonly outdir?: string;
  /**
   * aws-cdk-lib's built-in CloudFormation template validator (@aws/cloudformation-validate): it runs
   * on every synth, whatever `@aws-cdk/core:validateAgainstDefaultRules` says (the flag only turns
   * its findings into errors), and costs seconds per synth. `cdk synth`, `npm run compliance` and
   * the snapshots keep it; unit tests that are not about it turn it off.
   * @default - true, unless setAppDefaults() said otherwise
   */
  readonly cloudFormationValidation?: boolean;
  /**
   * A stack trace for every CloudFormation element (metadata `aws:cdk:creationStack`, shown in the
   * validation report). Capturing one per alarm is a measurable part of a synth at scale, so they
   * are off (`aws:cdk:disable-creation-stack-traces`, set in code: the CDK CLI warns about `aws:`
   * keys in cdk.json); `CDK_DEBUG=1` brings them back.
   * @default - false, unless setAppDefaults() said otherwise
   */
  readonly creationStackTraces?: boolean;
}

/** Context key read by aws-cdk-lib (cx-api DISABLE_CREATION_STACK_TRACES); bin/ sets it too. */
export const CREATION_STACK_TRACES_OFF = 'aws:cdk:disable-creation-stack-traces';

type AppDefaults = Required<Pick<AppOptions, 'cloudFormationValidation' | 'creationStackTraces'>>;
const defaults: AppDefaults = {
  cloudFormationValidation: true,
  creationStackTraces: false,
};

/**
 * Changes what newApp() does when its caller does not say. Only the test setup does this
 * (test/support/synth-defaults.ts): jest loads modules anew per test file, so it lasts one file.
 */
export function setAppDefaults(changes: Partial<AppDefaults>): AppDefaults {
  const previous = { ...defaults };
  Object.assign(defaults, changes);
  return previous;
}

/**
 * An App with the context of cdk.json (feature flags, validation), as `cdk synth` builds it;
 * tests and tools use it so that they see what the CLI would. Takes the outdir or AppOptions.
 */
export function newApp(options?: string | AppOptions): App {
  const o: AppOptions = typeof options === 'string' ? { outdir: options } : (options ?? {});
  const traces = o.creationStackTraces ?? defaults.creationStackTraces;
  return new App({
    context: { ...cdkJson.context, [CREATION_STACK_TRACES_OFF]: !traces },
    outdir: o.outdir,
    builtinCloudFormationValidation: o.cloudFormationValidation ?? defaults.cloudFormationValidation,
  });
}

/** What synthEnvironment() and environmentTemplates() take: the environment's options and the App's. */
export interface SynthOptions extends AddEnvironmentOptions, Omit<AppOptions, 'outdir'> {}

export function synthEnvironment(
  config: ResolvedConfig,
  outdir?: string,
  options: SynthOptions = {},
): { app: App; stacks: EnvironmentStacks } {
  const { cloudFormationValidation, creationStackTraces, ...environment } = options;
  const app = newApp({ outdir, cloudFormationValidation, creationStackTraces });
  const stacks = addEnvironment(app, config, environment);
  return { app, stacks };
}

/**
 * The normalized templates of an environment, by stack name: what its snapshots hold. Synthesis
 * runs every validation, the replacement guard of a protected environment included (unless
 * `options.baseline` is false).
 */
export function environmentTemplates(config: ResolvedConfig, options?: SynthOptions): Record<string, CfnTemplate> {
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
