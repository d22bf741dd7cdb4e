import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface CustomerManagedKeyProps {
  readonly description: string;
  /** @default - no alias */
  readonly alias?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Start from a key policy that lets the account administer the key but not use it: every use is
   * then allowed by an `allow*` function below (CloudWatch Logs for named log groups, Secrets
   * Manager for named secrets, Amazon MQ), each through its service only.
   * @default false - the account may use the key as far as its IAM policies allow (CDK's default policy)
   */
  readonly serviceUseOnly?: boolean;
}

/**
 * What the account keeps on a `serviceUseOnly` key: the key administrators' actions of KMS's
 * default key policy, no cryptographic operation, so that nobody is locked out of managing it.
 * Source: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/**
 * A customer-managed KMS key with yearly rotation whose grants can only be created for AWS
 * resources (Control Tower CT.KMS.PR.3): Amazon MQ and Secrets Manager still get theirs, a stolen
 * role cannot hand the key to itself.
 * Source: https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html
 */
export function customerManagedKey(scope: Construct, id: string, props: CustomerManagedKeyProps): kms.Key {
  const key = new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    alias: props.alias,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    policy: props.serviceUseOnly
      ? new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'AccountAdministersTheKey',
              principals: [new iam.AccountRootPrincipal()],
              actions: [...KEY_ADMINISTRATION_ACTIONS],
              resources: ['*'],
            }),
          ],
        })
      : undefined,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  return key;
}

/**
 * Lets CloudWatch Logs use the key for the given log groups only, by their `aws:logs:arn`
 * encryption context. Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 *
 * A log group of the same stack without a name gets one from CloudFormation at deploy time:
 * `<stack name>-<logical id>-<random>` (`<logical id>-<random>` without the stack-name system tag),
 * per the AWS::Logs::LogGroup create handler (aws-cloudformation-resource-providers-logs,
 * aws-logs-loggroup CreateHandler.generateName). Naming the ARN would make the key depend on its
 * own log group; the pattern names exactly that log group.
 */
export function allowCloudWatchLogs(key: kms.IKey, logGroups: readonly logs.LogGroup[]): void {
  const stack = Stack.of(key);
  const arns = logGroups.flatMap((group) => logGroupArnPatterns(group));
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arns } },
    }),
  );
}

function logGroupArnPatterns(group: logs.LogGroup): string[] {
  const stack = Stack.of(group);
  const cfn = group.node.defaultChild as logs.CfnLogGroup;
  const arn = (name: string) =>
    stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const name: unknown = stack.resolve(cfn.logGroupName);
  if (typeof name === 'string') return [arn(name)];
  const logicalId = stack.resolve(cfn.logicalId) as string;
  return [arn(`${stack.stackName}-${logicalId}-*`), arn(`${logicalId}-*`)];
}

/**
 * Lets principals of the account that IAM allows use the key through Secrets Manager, for the
 * secrets whose names match `secretNamePattern` only, by Secrets Manager's `SecretARN` encryption
 * context (it calls GenerateDataKey and Decrypt with it). The deny also bounds the broader
 * via-Secrets-Manager grant that CDK's `Secret` adds to the key policy of its encryption key.
 * Sources: https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html,
 * and the condition pair of the AWS managed policy AWSSecretsManagerClientReadOnlyAccess.
 */
export function allowSecretsManager(key: kms.IKey, secretNamePattern: string): void {
  const stack = Stack.of(key);
  const viaService = { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` };
  const secretArn = secretArnPattern(stack, secretNamePattern);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AccountUsesTheKeyThroughSecretsManager',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: viaService, ArnLike: { 'kms:EncryptionContext:SecretARN': secretArn } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyTheseSecretsThroughSecretsManager',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: viaService, ArnNotLike: { 'kms:EncryptionContext:SecretARN': secretArn } },
    }),
  );
}

/** The ARN of a secret whose name matches a pattern; Secrets Manager appends `-` and 6 random characters. */
export function secretArnPattern(stack: Stack, namePattern: string): string {
  const suffix = namePattern.endsWith('*') ? '' : '-??????';
  return stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${namePattern}${suffix}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Lets principals of the account that IAM allows use the key through Amazon MQ (broker storage
 * at rest). Amazon MQ documents no encryption context, so the condition is the service only.
 * Source: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function allowAmazonMq(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AccountUsesTheKeyThroughAmazonMq',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `mq.${stack.region}.amazonaws.com` } },
    }),
  );
}
