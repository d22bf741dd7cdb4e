import { Stack, Stage, Tags, type StackProps } from 'aws-cdk-lib';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import { addEnvironment } from '../app/mq-platform-app';
import type { ResolvedConfig } from '../config/resolve';
import { TAG_KEYS } from '../contract/tags';
import type { ResolvedPipeline } from './load-pipeline';
import { acknowledgePipelineFindings } from './pipeline-compliance';

/** The CDK bootstrap qualifier whose roles the pipeline assumes (`cdk bootstrap` default). */
export const BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** The commands of the README ("Install and test"), offline: what the synth step runs. */
export function synthCommands(pipelineName: string): string[] {
  return ['npm ci', 'npm test', `npx cdk synth -c pipeline=${pipelineName}`];
}

/**
 * The Node.js major every CodeBuild job of the pipeline runs (package.json engines: node >= 20).
 * CDK Pipelines' default image, aws/codebuild/standard:7.0, offers nodejs 18 and 20 and picks its
 * own default when none is named, so the buildspec names it.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/available-runtimes.html
 * @see https://github.com/aws/aws-codebuild-docker-images/blob/master/ubuntu/standard/7.0/runtimes.yml
 */
export const CODEBUILD_NODEJS_VERSION = '20';

/** The stack names an environment deploys (what the review compares with what is deployed). */
export function deployedStackNames(stage: Stage): Array<{ stackName: string; region: string }> {
  return stage.node
    .findAll()
    .filter((c): c is Stack => Stack.isStack(c))
    .map((s) => ({ stackName: s.stackName, region: s.region }));
}

/**
 * The review gate of one environment: fetches the templates deployed in its account (through the
 * CDK bootstrap's read-only lookup role of each Region) and runs `npm run review -- --check`
 * against them; exit 2 (a replacement, removal or lock-out the config does not allow) stops the
 * wave before anything deploys.
 */
export function reviewCommands(
  environment: string,
  account: string,
  stacks: ReadonlyArray<{ stackName: string; region: string }>,
): string[] {
  const regions = [...new Set(stacks.map((s) => s.region))];
  return [
    'npm ci',
    'mkdir -p deployed',
    ...regions.flatMap((region) => [
      `aws configure set profile.${region}.role_arn arn:aws:iam::${account}:role/cdk-${BOOTSTRAP_QUALIFIER}-lookup-role-${account}-${region}`,
      `aws configure set profile.${region}.credential_source EcsContainer`,
      `aws configure set profile.${region}.region ${region}`,
    ]),
    // A stack not deployed yet has no template (GetTemplate: ValidationError "Stack with id <name> does
    // not exist"): the review treats it as new. Any other error (AccessDenied, throttling) fails the
    // step, so the gate never passes having checked nothing.
    ...stacks.map((s) => getTemplateCommand(s.stackName, s.region)),
    `npm run review -- --check --stage ${environment} --deployed deployed`,
  ];
}

/**
 * Fetches one deployed template into deployed/<stack>.json; only a missing stack leaves no file.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html
 */
export function getTemplateCommand(stackName: string, region: string): string {
  const err = `get-template-${stackName}.err`;
  return (
    `aws cloudformation get-template --profile ${region} --stack-name ${stackName} --query TemplateBody --output json > deployed/${stackName}.json 2> ${err}` +
    ` || { cat ${err} >&2; grep -q 'ValidationError.*Stack with id ${stackName} does not exist' ${err} && rm -f deployed/${stackName}.json; }`
  );
}

/** One environment of config/ as a pipeline stage: the same stacks as `cdk deploy -c stage=<environment>`. */
export class EnvironmentStage extends Stage {
  constructor(scope: Construct, id: string, props: { readonly plan: ResolvedConfig; readonly configFile: string }) {
    super(scope, id, { env: { account: props.plan.account, region: props.plan.region } });
    addEnvironment(this, props.plan, { configFile: props.configFile });
  }
}

export interface PipelineStackProps extends StackProps {
  readonly pipeline: ResolvedPipeline;
}

/**
 * CDK Pipelines delivery: source from a CodeConnections connection, a synth step running the
 * README's commands, then one stage per environment in its own account and Region, each behind the
 * review gate and, for a protected environment, a manual approval. Self-mutating.
 */
export class PipelineStack extends Stack {
  public readonly pipeline: pipelines.CodePipeline;
  public readonly stages: readonly EnvironmentStage[];

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const c = props.pipeline.config;
    const source = pipelines.CodePipelineSource.connection(c.source.repository, c.source.branch ?? 'main', {
      connectionArn: c.source.connectionArn,
      // The replacement guard reads the committed snapshots at the merge base: synth needs the git history.
      codeBuildCloneOutput: true,
    });
    const env = { CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: '1' };
    // Artifacts cross into each environment's account under a customer-managed key; the bucket is
    // versioned, TLS-only and logged (what CDK Pipelines' own bucket is not).
    const key = new kms.Key(this, 'ArtifactKey', {
      description: `Encrypts the artifacts of pipeline mq-platform-${c.name} (shared with the target accounts' deploy roles) and their access logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // S3 server access logging writes into an SSE-KMS bucket when the logging service may use the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsEncrypt',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const accessLogs = new s3.Bucket(this, 'ArtifactAccessLogs', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const artifacts = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: `mq-platform-${c.name}`,
      artifactBucket: artifacts,
      // Replication buckets of the other Regions (cross-Region support stacks) get keys of their own.
      crossAccountKeys: true,
      enableKeyRotation: true,
      selfMutation: c.selfMutation ?? true,
      // Synth, review, self-mutation and asset jobs alike.
      codeBuildDefaults: {
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': { nodejs: CODEBUILD_NODEJS_VERSION } } },
        }),
      },
      synth: new pipelines.ShellStep('Synth', { input: source, env, commands: synthCommands(c.name) }),
    });

    const stages: EnvironmentStage[] = [];
    for (const s of props.pipeline.stages) {
      const stage = new EnvironmentStage(this, `Deploy-${s.environment}`, { plan: s.plan, configFile: s.configFile });
      const account = s.plan.account!;
      const stacks = deployedStackNames(stage);
      const regions = [...new Set(stacks.map((x) => x.region))];
      const review = new pipelines.CodeBuildStep(`Review-${s.environment}`, {
        input: source,
        env,
        commands: reviewCommands(s.environment, account, stacks),
        rolePolicyStatements: [
          new iam.PolicyStatement({
            actions: ['sts:AssumeRole'],
            resources: regions.map(
              (r) => `arn:${this.partition}:iam::${account}:role/cdk-${BOOTSTRAP_QUALIFIER}-lookup-role-${account}-${r}`,
            ),
          }),
        ],
      });
      const pre: pipelines.Step[] = [review];
      if (s.plan.protected) {
        const approval = new pipelines.ManualApprovalStep(`Approve-${s.environment}`, {
          comment: `Deploy protected environment ${s.environment} to ${account} (${regions.join(', ')}): read the review output of Review-${s.environment} first.`,
        });
        approval.addStepDependency(review);
        pre.push(approval);
      }
      this.pipeline.addStage(stage, { pre });
      stages.push(stage);
    }
    this.stages = stages;
    this.pipeline.buildPipeline();
    acknowledgePipelineFindings(this, {
      artifacts,
      accessLogs,
      replication: Object.values(this.pipeline.pipeline.crossRegionSupport).map((s) => s.replicationBucket),
    });
    Tags.of(this).add(TAG_KEYS.environment, `pipeline-${c.name}`);
  }
}
