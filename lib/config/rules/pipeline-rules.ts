import { KNOWN_REGIONS } from './environment-rules';
import { at, list, type Problem } from './problem';
import type { PipelineConfig } from '../schema-pipeline';

/** What a pipeline rule knows of an environment config it names (undefined: the config does not load). */
export interface PipelineEnvironmentFacts {
  readonly account?: string;
  readonly region: string;
  readonly protected: boolean;
}

export interface PipelineRule {
  readonly id: string;
  readonly source: string;
  check(c: PipelineConfig, environments: ReadonlyMap<string, PipelineEnvironmentFacts | string>): Problem[];
}

const ACCOUNT = /^\d{12}$/;
/** CodeConnections ARNs, and the older CodeStar Connections ARNs that CodePipeline still accepts. */
const CONNECTION_ARN = /^arn:aws(-cn|-us-gov)?:(codeconnections|codestar-connections):([a-z0-9-]+):(\d{12}):connection\/[0-9a-f-]{36}$/;

function rule(
  id: string,
  source: string,
  check: (
    c: PipelineConfig,
    envs: ReadonlyMap<string, PipelineEnvironmentFacts | string>,
    report: (path: string, value: unknown, message: string) => void,
  ) => void,
): PipelineRule {
  return {
    id,
    source,
    check(c, envs) {
      const out: Problem[] = [];
      check(c, envs, (path, value, message) => out.push({ path, value, message, rule: id }));
      return out;
    },
  };
}

export const PIPELINE_RULES: readonly PipelineRule[] = [
  rule('pipeline-name', 'https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html', (c, _e, report) => {
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(c.name))
      report('name', c.name, 'is not a pipeline name; allowed: 1 to 40 lower-case letters, digits and "-", starting with a letter');
  }),
  rule('pipeline-account', 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html', (c, _e, report) => {
    if (!ACCOUNT.test(c.account)) report('account', c.account, 'is not an AWS account id; allowed: 12 digits');
    if (!KNOWN_REGIONS.includes(c.region)) report('region', c.region, `is not an AWS Region; allowed: ${list(KNOWN_REGIONS)}`);
  }),
  rule(
    'pipeline-connection',
    'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html',
    (c, _e, report) => {
      const m = CONNECTION_ARN.exec(c.source.connectionArn);
      if (!m) {
        report(
          'source.connectionArn',
          c.source.connectionArn,
          'is not a connection ARN; allowed: "arn:aws:codeconnections:<region>:<account>:connection/<uuid>"',
        );
      } else if (m[3] !== c.region && KNOWN_REGIONS.includes(c.region)) {
        report(
          'source.connectionArn',
          c.source.connectionArn,
          `is a connection of ${m[3]}; allowed: a connection of the pipeline's Region ${c.region}`,
        );
      }
      if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(c.source.repository))
        report('source.repository', c.source.repository, 'is not a repository; allowed: "owner/name"');
    },
  ),
  rule('pipeline-stages', 'https://docs.aws.amazon.com/cdk/v2/guide/cdk-pipeline.html', (c, envs, report) => {
    if (c.stages.length === 0) report('stages', c.stages, 'deploys nothing; allowed: at least one environment of config/');
    const seen = new Set<string>();
    c.stages.forEach((s, i) => {
      const path = at('stages', i);
      if (seen.has(s.environment)) report(at(path, 'environment'), s.environment, 'is deployed twice; allowed: each environment once');
      seen.add(s.environment);
      const env = envs.get(s.environment);
      if (env === undefined || typeof env === 'string') {
        report(
          at(path, 'environment'),
          s.environment,
          `has no valid config/${s.environment}.json${typeof env === 'string' ? ` (${env})` : ''}; allowed: an environment of config/`,
        );
        return;
      }
      if (s.account !== undefined && !ACCOUNT.test(s.account))
        report(at(path, 'account'), s.account, 'is not an AWS account id; allowed: 12 digits');
      if (s.account === undefined && env.account === undefined) {
        report(
          at(path, 'account'),
          undefined,
          `is required: config/${s.environment}.json names no account and every stage deploys to its own; allowed: 12 digits here or "account" in config/${s.environment}.json`,
        );
      }
      if (s.account !== undefined && env.account !== undefined && s.account !== env.account) {
        report(
          at(path, 'account'),
          s.account,
          `differs from config/${s.environment}.json's account ${env.account}; allowed: ${env.account} (or leave it out)`,
        );
      }
    });
  }),
];

export function checkPipeline(c: PipelineConfig, envs: ReadonlyMap<string, PipelineEnvironmentFacts | string>): Problem[] {
  return PIPELINE_RULES.flatMap((r) => r.check(c, envs));
}
