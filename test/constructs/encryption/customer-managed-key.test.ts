import { Stack } from 'aws-cdk-lib';
import { newApp } from '../../../lib/app/synth';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  allowAmazonMq,
  allowCloudWatchLogs,
  allowSecretsManager,
  customerManagedKey,
  KEY_ADMINISTRATION_ACTIONS,
} from '../../../lib/constructs/encryption/customer-managed-key';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function keyStatements(build: (stack: Stack) => void): Statement[] {
  const stack = new Stack(newApp(), 'Keys', { env: { region: 'eu-west-1' } });
  build(stack);
  const keys = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return keys[0].Properties.KeyPolicy.Statement;
}

const bySid = (statements: Statement[], sid: string) => statements.find((s) => s.Sid === sid);
const root = { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } };
const arn = (service: string, rest: string) => ({ 'Fn::Join': ['', [`arn:aws:${service}:eu-west-1:`, { Ref: 'AWS::AccountId' }, rest]] });

describe('customerManagedKey', () => {
  test("by default keeps CDK's key policy: the account may use the key as its IAM policies allow", () => {
    const statements = keyStatements((s) => customerManagedKey(s, 'Key', { description: 'd' }));
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([{ Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' }]);
    expect(bySid(statements, 'GrantsOnlyForAwsResources')).toMatchObject({ Effect: 'Deny', Action: 'kms:CreateGrant' });
  });

  test("serviceUseOnly: the account administers the key (KMS's key-administrator actions) and uses it for nothing", () => {
    const statements = keyStatements((s) => customerManagedKey(s, 'Key', { description: 'd', serviceUseOnly: true }));
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      { Sid: 'AccountAdministersTheKey', Effect: 'Allow', Principal: root, Action: [...KEY_ADMINISTRATION_ACTIONS].sort(), Resource: '*' },
    ]);
    // Administration only: no cryptographic operation, and kms:PutKeyPolicy stays with the account (no lock-out).
    const actions = KEY_ADMINISTRATION_ACTIONS.join(' ');
    for (const crypto of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt', 'kms:\\*'])
      expect(actions).not.toMatch(new RegExp(`${crypto}\\b`));
    expect(KEY_ADMINISTRATION_ACTIONS).toContain('kms:Put*');
  });

  test('allowCloudWatchLogs: only the given log groups, by the aws:logs:arn encryption context', () => {
    const statements = keyStatements((s) => {
      const key = customerManagedKey(s, 'Key', { description: 'd', serviceUseOnly: true });
      const unnamed = new logs.LogGroup(s, 'Unnamed', { encryptionKey: key });
      const named = new logs.LogGroup(s, 'Named', { encryptionKey: key, logGroupName: '/mq-platform/test' });
      allowCloudWatchLogs(key, [unnamed, named]);
    });
    const logicalId = 'Unnamed056898D7';
    expect(bySid(statements, 'CloudWatchLogsEncryptsLogGroups')).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': [
            // The name CloudFormation generates: <stack name>-<logical id>-<random>, or without the stack name.
            arn('logs', `:log-group:Keys-${logicalId}-*`),
            arn('logs', `:log-group:${logicalId}-*`),
            arn('logs', ':log-group:/mq-platform/test'),
          ],
        },
      },
    });
  });

  test('allowSecretsManager: through Secrets Manager only, for the named secrets only (SecretARN context), and a deny for any other secret', () => {
    const statements = keyStatements((s) =>
      allowSecretsManager(customerManagedKey(s, 'Key', { description: 'd', serviceUseOnly: true }), 'mq-platform/dev/orders/*'),
    );
    const via = { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' };
    const secrets = arn('secretsmanager', ':secret:mq-platform/dev/orders/*');
    expect(bySid(statements, 'AccountUsesTheKeyThroughSecretsManager')).toEqual({
      Sid: 'AccountUsesTheKeyThroughSecretsManager',
      Effect: 'Allow',
      Principal: root,
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: via, ArnLike: { 'kms:EncryptionContext:SecretARN': secrets } },
    });
    expect(bySid(statements, 'OnlyTheseSecretsThroughSecretsManager')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { StringEquals: via, ArnNotLike: { 'kms:EncryptionContext:SecretARN': secrets } },
    });
  });

  test('allowAmazonMq: through Amazon MQ only', () => {
    const statements = keyStatements((s) => allowAmazonMq(customerManagedKey(s, 'Key', { description: 'd', serviceUseOnly: true })));
    expect(bySid(statements, 'AccountUsesTheKeyThroughAmazonMq')).toMatchObject({
      Effect: 'Allow',
      Principal: root,
      Condition: { StringEquals: { 'kms:ViaService': 'mq.eu-west-1.amazonaws.com' } },
    });
  });
});
