import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * What the compliance packs (AwsSolutions, HIPAA Security, NIST 800-53 rev 5, PCI DSS 3.2.1) find
 * on the resources CDK Pipelines generates and the platform cannot change, each acknowledged on
 * the one resource it concerns with the reason. What can be fixed is fixed in pipeline-stack.ts
 * (versioned, logged, KMS-encrypted, TLS-only artifact bucket).
 */

const INLINE =
  "CDK Pipelines grants each role exactly the actions on the resources it uses (its artifact bucket and key, its own log and report groups, the CDK bootstrap roles) as the role's default inline policy; the grants are generated from the pipeline's structure, so a managed policy would only copy them";
const IAM_WILDCARDS: ReadonlyArray<[RegExp, string]> = [
  [
    /^Action::s3:|Artifacts.*\.Arn>\/\*|eplicationbucket[0-9a-z]*\/\*$/,
    "CDK Pipelines' grant on the pipeline's own artifact bucket: objects are named per execution, so the grant covers the bucket's objects, never another bucket",
  ],
  [/^Action::kms:/, "CDK Pipelines' grant on the pipeline's own artifact key (data keys are generated per object)"],
  [
    /log-group:\/aws\/codebuild\//,
    "CodeBuild names its log streams at run time; the grant is limited to the log group of this pipeline's own projects",
  ],
  [/report-group\//, "CodeBuild report groups are named after the project at run time; limited to this pipeline's projects"],
  [
    /iam::\d{12}:role\/\*/,
    'Self-mutation assumes the CDK bootstrap roles of the target accounts, which CDK names per account and Region; the statement is conditioned on the aws-cdk:bootstrap-role tag',
  ],
  [
    /^Resource::\*$/,
    'cloudformation:DescribeStacks and the asset publishing of CDK Pipelines (self-mutation, file assets) take no resource ARN, or address the bootstrap asset buckets of every target account',
  ],
];
const SOURCE_REPO =
  'The project takes its source from CodePipeline (a CodeConnections connection), not from a GitHub or Bitbucket URL with credentials: there is no source URL to carry OAuth, and the connection is authorized once in the console';
const REPLICATION =
  'Pipeline artifacts are rebuilt from the source repository on every run; a cross-Region copy would hold nothing that cannot be rebuilt';
const LOG_BUCKET =
  'This is the server access log bucket of the artifact bucket: logging it into itself or another bucket would loop or only move the finding';

const ack = (c: IConstruct, ids: readonly string[], reason: string) => {
  for (const id of ids) Validations.of(c).acknowledge({ id, reason });
};
const packs = (rule: string, ...others: Array<[string, string]>) => [
  ...others.map(([pack, r]) => `${pack}::${pack}-${r}`),
  ...(rule ? [`AwsSolutions::AwsSolutions-${rule}`] : []),
];

/** Acknowledges the findings of the pipeline's generated resources (call after buildPipeline()). */
export function acknowledgePipelineFindings(
  scope: IConstruct,
  buckets: { readonly artifacts: s3.IBucket; readonly accessLogs: s3.IBucket; readonly replication: readonly s3.IBucket[] },
): void {
  const stack = Stack.of(scope);
  for (const node of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(node) || node.node.path.includes('/Deploy-')) continue;
    if (node instanceof iam.CfnPolicy) {
      ack(
        node,
        packs('', ['HIPAA.Security', 'IAMNoInlinePolicy'], ['NIST.800.53.R5', 'IAMNoInlinePolicy'], ['PCI.DSS.321', 'IAMNoInlinePolicy']),
        INLINE,
      );
      for (const finding of iamWildcards(stack, node)) {
        const reason = IAM_WILDCARDS.find(([pattern]) => pattern.test(finding))?.[1];
        if (reason) ack(node, [`AwsSolutions::AwsSolutions-IAM5[${finding}]`], reason);
      }
    }
    if (node.cfnResourceType === 'AWS::CodeBuild::Project') {
      ack(
        node,
        packs('', ['HIPAA.Security', 'CodeBuildProjectSourceRepoUrl'], ['PCI.DSS.321', 'CodeBuildProjectSourceRepoUrl']),
        SOURCE_REPO,
      );
    }
  }
  const replication = packs(
    '',
    ['HIPAA.Security', 'S3BucketReplicationEnabled'],
    ['NIST.800.53.R5', 'S3BucketReplicationEnabled'],
    ['PCI.DSS.321', 'S3BucketReplicationEnabled'],
  );
  ack(buckets.artifacts.node.defaultChild!, replication, REPLICATION);
  // CodePipeline's replication buckets in the other Regions (cross-Region support stacks): versioned here, the rest acknowledged.
  for (const bucket of buckets.replication) {
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    cfn.versioningConfiguration = { status: 'Enabled' };
    ack(cfn, replication, REPLICATION);
    ack(
      cfn,
      packs(
        'S1',
        ['HIPAA.Security', 'S3BucketLoggingEnabled'],
        ['NIST.800.53.R5', 'S3BucketLoggingEnabled'],
        ['PCI.DSS.321', 'S3BucketLoggingEnabled'],
      ),
      "CodePipeline's replication bucket of another Region's actions, in the stack CodePipeline generates for that Region: it holds copies of the artifacts, whose access is logged in the artifact bucket they come from",
    );
  }
  ack(buckets.accessLogs.node.defaultChild!, replication, REPLICATION);
  ack(
    buckets.accessLogs.node.defaultChild!,
    packs(
      'S1',
      ['HIPAA.Security', 'S3BucketLoggingEnabled'],
      ['NIST.800.53.R5', 'S3BucketLoggingEnabled'],
      ['PCI.DSS.321', 'S3BucketLoggingEnabled'],
    ),
    LOG_BUCKET,
  );
}

/**
 * The IAM5 findings a policy can raise, as AwsSolutions names them: `Action::<action>` for each
 * action with a wildcard, `Resource::<resource>` for each resource with one (tokens rendered as
 * `<LogicalId>` or `<LogicalId.Attr>`).
 */
function iamWildcards(stack: Stack, policy: iam.CfnPolicy): string[] {
  const doc = stack.resolve(policy.policyDocument) as { Statement?: Array<{ Action?: unknown; Resource?: unknown }> };
  const out = new Set<string>();
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  for (const s of doc.Statement ?? []) {
    for (const a of list(s.Action)) if (typeof a === 'string' && a.includes('*')) out.add(`Action::${a}`);
    for (const r of list(s.Resource)) {
      const text = renderForNag(r);
      if (text.includes('*')) out.add(`Resource::${text}`);
    }
  }
  return [...out];
}

/** How cdk-nag prints a policy value: Ref as <Id>, GetAtt as <Id.Attr>, Fn::Join concatenated. */
function renderForNag(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o)
      return o.Ref === 'AWS::Partition' || o.Ref === 'AWS::Region' || o.Ref === 'AWS::AccountId' ? `<${o.Ref}>` : `<${o.Ref}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(renderForNag).join(sep);
    }
  }
  return JSON.stringify(v);
}
