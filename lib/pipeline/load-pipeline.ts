import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_DIR, configPathForStage, loadConfigFile, parseConfigText } from '../config/load-config';
import type { ResolvedConfig } from '../config/resolve';
import { checkPipeline, type PipelineEnvironmentFacts } from '../config/rules/pipeline-rules';
import { formatProblem, type Problem } from '../config/rules/problem';
import { PipelineConfigSchema, type PipelineConfig } from '../config/schema-pipeline';

/** A validated pipeline with each stage's environment plan, its account applied. */
export interface ResolvedPipeline {
  readonly config: PipelineConfig;
  readonly file: string;
  readonly stages: ReadonlyArray<{ readonly environment: string; readonly configFile: string; readonly plan: ResolvedConfig }>;
}

export const PIPELINE_DIR = path.join(CONFIG_DIR, 'pipelines');

export function pipelinePath(name: string, dir = PIPELINE_DIR): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new Error(`-c pipeline=${name}: not a pipeline name; allowed: a file name of ${dir} without .json`);
  return path.join(dir, `${name}.json`);
}

/** Reads, checks (shape, then every pipeline rule at once) and resolves a pipeline; throws one message listing every problem. */
/** Where an environment of a stage comes from: config/<environment>.json by default. */
export type EnvironmentLoader = (environment: string) => { readonly plan: ResolvedConfig; readonly configFile: string };

const fromConfigDir: EnvironmentLoader = (e) => {
  const configFile = configPathForStage(e);
  return { plan: loadConfigFile(configFile), configFile };
};

export function loadPipeline(file: string, loadEnvironment: EnvironmentLoader = fromConfigDir): ResolvedPipeline {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such pipeline config`);
  const raw = parseConfigText(fs.readFileSync(file, 'utf8'), file);
  const parsed = PipelineConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${file}: ${lines.length} problem(s) in the pipeline config:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const plans = new Map<string, { plan: ResolvedConfig; configFile: string }>();
  const facts = new Map<string, PipelineEnvironmentFacts | string>();
  for (const s of config.stages) {
    try {
      const loaded = loadEnvironment(s.environment);
      const plan = loaded.plan;
      plans.set(s.environment, loaded);
      facts.set(s.environment, { account: plan.account, region: plan.region, protected: plan.protected });
    } catch (e) {
      facts.set(s.environment, (e as Error).message.split('\n')[0]);
    }
  }
  const problems: Problem[] = checkPipeline(config, facts);
  if (problems.length > 0) {
    throw new Error(
      `${file}: ${problems.length} problem(s) in the pipeline config:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
  }
  return {
    config,
    file,
    stages: config.stages.map((s) => {
      const { plan, configFile } = plans.get(s.environment)!;
      return { environment: s.environment, configFile, plan: { ...plan, account: plan.account ?? s.account } };
    }),
  };
}
