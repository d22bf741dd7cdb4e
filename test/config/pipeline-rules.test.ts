import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkPipeline, PIPELINE_RULES, type PipelineEnvironmentFacts } from '../../lib/config/rules/pipeline-rules';
import { formatProblem } from '../../lib/config/rules/problem';
import type { PipelineConfig } from '../../lib/config/schema-pipeline';
import { loadPipeline } from '../../lib/pipeline/load-pipeline';
import { fixtureConfig, type FixtureName } from '../support/configs';

type Mutable = any; // configs are edited freely, then checked

const base = (): Mutable => ({
  name: 'main',
  account: '111111111111',
  region: 'eu-west-1',
  source: {
    connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    repository: 'example-org/mq-platform',
  },
  stages: [{ environment: 'dev', account: '222222222222' }, { environment: 'prod' }],
});
const envs = new Map<string, PipelineEnvironmentFacts | string>([
  ['dev', { region: 'eu-west-1', protected: false }],
  ['prod', { account: '333333333333', region: 'eu-west-1', protected: true }],
  ['broken', 'config/broken.json: 1 problem in the config:'],
]);
const problemsOf = (edit: (c: Mutable) => void) => {
  const c = base();
  edit(c);
  return checkPipeline(c as PipelineConfig, envs).map(formatProblem);
};

describe('pipeline rules', () => {
  test('a valid pipeline has no problems', () => expect(problemsOf(() => undefined)).toEqual([]));

  test.each<[string, (c: Mutable) => void, string[]]>([
    [
      'pipeline-name',
      (c) => (c.name = 'Main_1'),
      ['name: "Main_1" is not a pipeline name; allowed: 1 to 40 lower-case letters, digits and "-", starting with a letter'],
    ],
    [
      'pipeline-account',
      (c) => Object.assign(c, { account: '1234', region: 'eu-middle-1' }),
      [
        'account: "1234" is not an AWS account id; allowed: 12 digits',
        expect.stringMatching(/^region: "eu-middle-1" is not an AWS Region; allowed: af-south-1, /),
      ],
    ],
    [
      'pipeline-connection: not an ARN',
      (c) => (c.source.connectionArn = 'my-github'),
      [
        'source.connectionArn: "my-github" is not a connection ARN; allowed: "arn:aws:codeconnections:<region>:<account>:connection/<uuid>"',
      ],
    ],
    [
      "pipeline-connection: another Region's connection",
      (c) => (c.source.connectionArn = c.source.connectionArn.replace(':eu-west-1:', ':us-east-1:')),
      [
        'source.connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" is a connection of us-east-1; allowed: a connection of the pipeline\'s Region eu-west-1',
      ],
    ],
    [
      'pipeline-connection: repository',
      (c) => (c.source.repository = 'mq-platform'),
      ['source.repository: "mq-platform" is not a repository; allowed: "owner/name"'],
    ],
    ['pipeline-stages: none', (c) => (c.stages = []), ['stages: [] deploys nothing; allowed: at least one environment of config/']],
    [
      'pipeline-stages: twice, unknown, broken',
      (c) => c.stages.push({ environment: 'dev', account: '222222222222' }, { environment: 'qa' }, { environment: 'broken' }),
      [
        'stages[2].environment: "dev" is deployed twice; allowed: each environment once',
        'stages[3].environment: "qa" has no valid config/qa.json; allowed: an environment of config/',
        'stages[4].environment: "broken" has no valid config/broken.json (config/broken.json: 1 problem in the config:); allowed: an environment of config/',
      ],
    ],
    [
      'pipeline-stages: no account anywhere',
      (c) => delete c.stages[0].account,
      [
        'stages[0].account: (missing) is required: config/dev.json names no account and every stage deploys to its own; allowed: 12 digits here or "account" in config/dev.json',
      ],
    ],
    [
      "pipeline-stages: an account other than the config's",
      (c) => (c.stages[1].account = '999999999999'),
      ['stages[1].account: "999999999999" differs from config/prod.json\'s account 333333333333; allowed: 333333333333 (or leave it out)'],
    ],
    [
      'pipeline-stages: a malformed account',
      (c) => (c.stages[0].account = '22'),
      ['stages[0].account: "22" is not an AWS account id; allowed: 12 digits'],
    ],
  ])('%s', (_name, edit, expected) => {
    expect(problemsOf(edit)).toEqual(expected);
  });

  test('every rule has an id and a documentation source', () => {
    for (const r of PIPELINE_RULES) expect(r.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test('loadPipeline reports shape and rule problems at once, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
    const file = path.join(dir, 'p.json');
    // Environments come from the fixtures, never from config/.
    const loader = (e: string) => ({ plan: fixtureConfig(e as FixtureName), configFile: `test/fixtures/${e}.json` });
    fs.writeFileSync(file, JSON.stringify({ ...base(), stages: [{ environment: 'dev' }], extra: 1 }));
    expect(() => loadPipeline(file, loader)).toThrow(
      /p\.json: 1 problem\(s\) in the pipeline config:\n {2}- \(root\): Unrecognized key: "extra"/,
    );
    fs.writeFileSync(file, JSON.stringify({ ...base(), stages: [{ environment: 'production' }] }));
    expect(() => loadPipeline(file, loader)).toThrow(
      `${file}: 1 problem(s) in the pipeline config:\n  - stages[0].account: (missing) is required: config/production.json names no account and every stage deploys to its own; allowed: 12 digits here or "account" in config/production.json`,
    );
  });
});
