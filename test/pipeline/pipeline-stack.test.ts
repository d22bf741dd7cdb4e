import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { renderSnapshot } from '../../lib/app/normalize-template';
import { newApp } from '../../lib/app/synth';
import { loadPipeline, pipelinePath, type EnvironmentLoader } from '../../lib/pipeline/load-pipeline';
import {
  CODEBUILD_NODEJS_VERSION,
  getTemplateCommand,
  PipelineStack,
  reviewCommands,
  synthCommands,
} from '../../lib/pipeline/pipeline-stack';
import { fixtureConfig, type FixtureName } from '../support/configs';
import { expectFileSnapshot } from '../support/file-snapshot';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'pipelines', 'test.json');
const fromFixtures: EnvironmentLoader = (e) => ({ plan: fixtureConfig(e as FixtureName), configFile: `test/fixtures/${e}.json` });

function synthPipeline(file: string, loader?: EnvironmentLoader, outdir?: string) {
  const app = newApp(outdir);
  const pipeline = loadPipeline(file, loader);
  const stack = new PipelineStack(app, `MqPlatform-Pipeline-${pipeline.config.name}`, {
    env: { account: pipeline.config.account, region: pipeline.config.region },
    pipeline,
  });
  return { app, stack };
}

/** Errors of the cdk-nag packs on the pipeline's own stacks (the environments' stacks are checked by npm run compliance). */
function nagErrors(file: string, loader?: EnvironmentLoader): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-nag-'));
  try {
    const { app } = synthPipeline(file, loader, outdir);
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new HIPAASecurityChecks(app),
      new NIST80053R5Checks(app),
      new PCIDSS321Checks(app),
    );
    try {
      app.synth();
    } catch {
      // the report lists what failed
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{
        pluginName: string;
        violations?: Array<{ ruleName: string; severity?: string; violatingConstructs: Array<{ constructPath: string }> }>;
      }>;
    };
    return report.pluginReports.flatMap((p) =>
      (p.violations ?? []).flatMap((v) =>
        v.violatingConstructs
          .map((c) => c.constructPath)
          .filter((c) => !c.includes('/Deploy-'))
          .map((c) => `${p.pluginName} ${v.ruleName} ${v.severity ?? 'error'} ${c}`),
      ),
    );
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('PipelineStack (test/fixtures/pipelines/test.json: dev, then protected production)', () => {
  const { stack } = synthPipeline(FIXTURE, fromFixtures);
  const template = Template.fromStack(stack);
  const pipeline = () => Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
  const stage = (name: string) => pipeline().Stages.find((s: { Name: string }) => s.Name === name);
  const actions = (name: string) =>
    stage(name).Actions.map((a: { Name: string; ActionTypeId: { Category: string }; RunOrder: number }) => [
      a.Name,
      a.ActionTypeId.Category,
      a.RunOrder,
    ]);

  test('source: the CodeConnections connection, with the git history (the replacement guard reads it)', () => {
    expect(stage('Source').Actions[0]).toMatchObject({
      ActionTypeId: { Category: 'Source', Provider: 'CodeStarSourceConnection' },
      Configuration: {
        ConnectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        FullRepositoryId: 'example-org/mq-platform',
        BranchName: 'main',
        OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
      },
    });
  });

  test("synth runs the README's commands offline, and the pipeline mutates itself", () => {
    expect(synthCommands('test')).toEqual(['npm ci', 'npm test', 'npx cdk synth -c pipeline=test']);
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: { BuildSpec: Match.serializedJson(Match.objectLike({ phases: { build: { commands: synthCommands('test') } } })) },
      Environment: Match.objectLike({
        EnvironmentVariables: Match.arrayWith([{ Name: 'CDK_DISABLE_VERSION_CHECK', Type: 'PLAINTEXT', Value: '1' }]),
      }),
    });
    expect(stage('UpdatePipeline').Actions[0].Name).toBe('SelfMutate');
  });

  test('every CodeBuild job (synth, review, self-mutation, assets) pins Node.js 20 on the standard:7.0 image', () => {
    expect(CODEBUILD_NODEJS_VERSION).toBe('20');
    const projects = Object.values(template.findResources('AWS::CodeBuild::Project'));
    expect(projects.length).toBeGreaterThanOrEqual(3);
    for (const p of projects) {
      expect(p.Properties.Environment.Image).toBe('aws/codebuild/standard:7.0');
      expect(JSON.parse(p.Properties.Source.BuildSpec).phases.install['runtime-versions']).toEqual({ nodejs: '20' });
    }
  });

  test('one stage per environment, in order, each first running the review gate; a manual approval only before the protected one', () => {
    expect(pipeline().Stages.map((s: { Name: string }) => s.Name)).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      'Assets',
      'Deploy-dev',
      'Deploy-production',
    ]);
    expect(actions('Deploy-dev').slice(0, 2)).toEqual([
      ['Review-dev', 'Build', 1],
      [expect.stringMatching(/\.Prepare$/), 'Deploy', 2],
    ]);
    expect(actions('Deploy-production').slice(0, 3)).toEqual([
      ['Review-production', 'Build', 1],
      ['Approve-production', 'Approval', 2],
      [expect.stringMatching(/\.Prepare$/), 'Deploy', 3],
    ]);
    expect(actions('Deploy-dev').some(([, category]: [string, string]) => category === 'Approval')).toBe(false);
  });

  test("each environment deploys into its own account and Region through that account's CDK bootstrap roles", () => {
    const deploy = stage('Deploy-production').Actions.find((a: { Name: string }) => a.Name === 'MqPlatform-production-Brokers.Deploy');
    expect(deploy).toMatchObject({ Configuration: { StackName: 'MqPlatform-production-Brokers' } }); // same Region as the pipeline: no Region field
    expect(JSON.stringify(deploy.RoleArn)).toContain('cdk-hnb659fds-deploy-role-333333333333-eu-west-1');
    const prepare = stage('Deploy-production').Actions.find((a: { Name: string }) => a.Name === 'MqPlatform-production-Brokers.Prepare');
    expect(JSON.stringify(prepare.Configuration.RoleArn)).toContain('cdk-hnb659fds-cfn-exec-role-333333333333-eu-west-1');
  });

  test('the review gate reads the deployed templates through the read-only lookup role and fails on what the guard refuses', () => {
    const commands = reviewCommands('production', '333333333333', [{ stackName: 'MqPlatform-production-Brokers', region: 'eu-west-1' }]);
    expect(commands).toEqual([
      'npm ci',
      'mkdir -p deployed',
      'aws configure set profile.eu-west-1.role_arn arn:aws:iam::333333333333:role/cdk-hnb659fds-lookup-role-333333333333-eu-west-1',
      'aws configure set profile.eu-west-1.credential_source EcsContainer',
      'aws configure set profile.eu-west-1.region eu-west-1',
      getTemplateCommand('MqPlatform-production-Brokers', 'eu-west-1'),
      'npm run review -- --check --stage production --deployed deployed',
    ]);
    const review = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('Reviewproduction'))![1];
    expect(review.Properties.PolicyDocument.Statement).toContainEqual({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Resource: 'arn:aws:iam::333333333333:role/cdk-hnb659fds-lookup-role-333333333333-eu-west-1',
    });
  });

  // Runs the command under sh with a stand-in `aws` on PATH (no AWS call): only a missing stack is "not deployed".
  test.each([
    ['deployed', 0, '{"Resources":{}}', '', 0, true],
    [
      'not deployed yet',
      254,
      '',
      'An error occurred (ValidationError) when calling the GetTemplate operation: Stack with id MqPlatform-dev-Brokers does not exist',
      0,
      false,
    ],
    ['access denied', 254, '', 'An error occurred (AccessDenied) when calling the AssumeRole operation: denied', 1, false],
    ['throttled', 254, '', 'An error occurred (Throttling) when calling the GetTemplate operation: Rate exceeded', 1, false],
    [
      'another stack missing',
      254,
      '',
      'An error occurred (ValidationError) when calling the GetTemplate operation: Stack with id Other does not exist',
      1,
      false,
    ],
  ])('get-template of a stack %s: aws exit %s, step exit as tabled', (_case, awsExit, stdout, stderr, stepExit, file) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-get-template-'));
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.mkdirSync(path.join(dir, 'deployed'));
      const fake = `#!/bin/sh\nprintf '%s' '${stdout}'\nprintf '%s\\n' '${stderr}' >&2\nexit ${awsExit}\n`;
      fs.writeFileSync(path.join(dir, 'bin', 'aws'), fake, { mode: 0o755 });
      let status = 0;
      try {
        execFileSync('sh', ['-c', getTemplateCommand('MqPlatform-dev-Brokers', 'eu-west-1')], {
          cwd: dir,
          env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` },
          stdio: 'pipe',
        });
      } catch (e) {
        status = (e as { status: number }).status;
      }
      expect(status).toBe(stepExit);
      // a failed step stops the wave: its leftover file is never read
      if (stepExit === 0) expect(fs.existsSync(path.join(dir, 'deployed', 'MqPlatform-dev-Brokers.json'))).toBe(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('artifacts: customer-managed key with rotation, versioned, TLS only, access-logged', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifacts/' }),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
    });
  });

  test('snapshot', () => {
    // Asset destinations end in a short hash of the asset (the rotation function's code): masked like asset hashes.
    const stable = JSON.parse(JSON.stringify(template.toJSON()).replace(/(:\d{12}-[a-z0-9-]+?)-[0-9a-f]{8}(?=\\)/g, '$1-<hash>'));
    expectFileSnapshot(path.join(__dirname, 'snapshots', `${stack.stackName}.json`), renderSnapshot(stable));
  });

  test('cdk-nag packs (AwsSolutions, HIPAA Security, NIST 800-53 rev 5, PCI DSS 3.2.1) find nothing unacknowledged', () => {
    expect(nagErrors(FIXTURE, fromFixtures)).toEqual([]);
  });
});

describe('config/pipelines/main.json (shipped)', () => {
  test('loads, and its cross-Region support stacks pass the packs too', () => {
    expect(loadPipeline(pipelinePath('main')).stages.map((s) => [s.environment, s.plan.account, s.plan.region])).toEqual([
      ['dev', '222222222222', 'eu-west-1'],
      ['prod', '333333333333', 'eu-west-1'],
      ['prod-dr', '444444444444', 'us-east-1'],
    ]);
    expect(nagErrors(pipelinePath('main'))).toEqual([]);
  });
});
