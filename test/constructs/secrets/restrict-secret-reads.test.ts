import { Stack } from 'aws-cdk-lib';
import { newApp } from '../../../lib/app/synth';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { restrictSecretReads, type SecretReadAccess, type SecretReaders } from '../../../lib/constructs/secrets/restrict-secret-reads';

const APP_ROLE = 'arn:aws:iam::123456789012:role/orders-service';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/apps/billing';
const CFN_EXEC_ROLE = {
  'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-eu-west-1',
};

function build(access: Omit<SecretReadAccess, 'encryptionKey'>, withKey = true, then?: (r: SecretReaders) => void) {
  const stack = new Stack(newApp(), 'Secrets', { env: { region: 'eu-west-1' } });
  const key = withKey ? new kms.Key(stack, 'Key') : undefined;
  const secret = new secretsmanager.Secret(stack, 'Secret', { secretName: 'mq-platform/dev/orders/app', encryptionKey: key });
  const readers = restrictSecretReads(secret, { ...access, encryptionKey: key });
  then?.(readers);
  const t = Template.fromStack(stack);
  const policies = Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy'));
  expect(policies).toHaveLength(1);
  const keyStatements: Array<{ Sid?: string }> = withKey
    ? Object.values(t.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement
    : [];
  return {
    policy: policies[0].Properties,
    keyStatements,
    statements: policies[0].Properties.ResourcePolicy.Statement as Array<{ Sid: string; Effect: string; Action: string | string[] }>,
  };
}

const sid = (statements: Array<{ Sid?: string }>, s: string) => statements.find((x) => x.Sid === s);

describe('restrictSecretReads', () => {
  test("denies GetSecretValue to every principal but the readers and CloudFormation's execution role", () => {
    const { policy, statements } = build({ readers: [APP_ROLE], readByCloudFormation: true });
    expect(policy.BlockPublicPolicy).toBe(true);
    expect(sid(statements, 'NobodyElseReadsTheValue')).toEqual({
      Sid: 'NobodyElseReadsTheValue',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [APP_ROLE, CFN_EXEC_ROLE] } },
    });
  });

  test('only reading is denied: describing, rotating, writing, deleting and changing the policy stay with IAM', () => {
    const { statements } = build({ readers: [APP_ROLE] });
    const denied = statements.filter((s) => s.Effect === 'Deny').flatMap((s) => [s.Action].flat());
    expect(denied).toEqual(['secretsmanager:GetSecretValue']);
  });

  test('allows the readers to read and describe, named by aws:PrincipalArn (no principal lookup, no public access)', () => {
    const { statements } = build({ readers: [APP_ROLE, OTHER_ROLE] });
    expect(sid(statements, 'NamedReadersReadTheValue')).toEqual({
      Sid: 'NamedReadersReadTheValue',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': [APP_ROLE, OTHER_ROLE] } },
    });
    // Without readByCloudFormation, CloudFormation's role is not exempt.
    expect(JSON.stringify(sid(statements, 'NobodyElseReadsTheValue'))).not.toContain('cfn-exec-role');
  });

  test("lets the readers decrypt through Secrets Manager, for secrets under the secret's name prefix", () => {
    const { keyStatements } = build({ readers: [APP_ROLE] });
    expect(keyStatements.find((s) => s.Sid === 'NamedReadersDecryptThroughSecretsManager')).toEqual({
      Sid: 'NamedReadersDecryptThroughSecretsManager',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
        ArnLike: {
          'kms:EncryptionContext:SecretARN': [
            { 'Fn::Join': ['', ['arn:aws:secretsmanager:eu-west-1:', { Ref: 'AWS::AccountId' }, ':secret:mq-platform/dev/orders/*']] },
          ],
        },
        ArnEquals: { 'aws:PrincipalArn': [APP_ROLE] },
      },
    });
  });

  test("one key statement names every outside reader and the secrets' prefixes; roles of the app decrypt by their own IAM policy", () => {
    const stack = new Stack(newApp(), 'Secrets', { env: { region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'Key');
    const role = new iam.Role(stack, 'Rotation', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (const user of ['a', 'b', 'c']) {
      const secret = new secretsmanager.Secret(stack, `Secret-${user}`, {
        secretName: `mq-platform/dev/orders/${user}`,
        encryptionKey: key,
      });
      restrictSecretReads(secret, { readers: [role.roleArn, ...(user === 'c' ? [] : [APP_ROLE])], encryptionKey: key });
    }
    const statements: Array<{ Sid?: string; Condition?: Record<string, Record<string, unknown[]>> }> = Object.values(
      Template.fromStack(stack).findResources('AWS::KMS::Key'),
    )[0].Properties.KeyPolicy.Statement;
    const readerStatements = statements.filter((s) => s.Sid === 'NamedReadersDecryptThroughSecretsManager');
    expect(readerStatements).toHaveLength(1);
    expect(readerStatements[0].Condition!.ArnEquals['aws:PrincipalArn']).toEqual([APP_ROLE]);
    expect(readerStatements[0].Condition!.ArnLike['kms:EncryptionContext:SecretARN']).toHaveLength(1);
  });

  test('readers added later join every statement, once', () => {
    const { statements, keyStatements } = build({ readByCloudFormation: true }, true, (r) => {
      r.addReader(APP_ROLE);
      r.addReader(OTHER_ROLE);
      r.addReader(APP_ROLE);
    });
    expect(sid(statements, 'NamedReadersReadTheValue')).toMatchObject({
      Condition: { ArnEquals: { 'aws:PrincipalArn': [APP_ROLE, OTHER_ROLE] } },
    });
    expect(sid(statements, 'NobodyElseReadsTheValue')).toMatchObject({
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [APP_ROLE, OTHER_ROLE, CFN_EXEC_ROLE] } },
    });
    expect(keyStatements.find((s) => s.Sid === 'NamedReadersDecryptThroughSecretsManager')).toMatchObject({
      Condition: { ArnEquals: { 'aws:PrincipalArn': [APP_ROLE, OTHER_ROLE] } },
    });
  });

  test('without readers only CloudFormation reads, and no allow statement is added', () => {
    const { statements, keyStatements } = build({ readByCloudFormation: true });
    expect(statements.map((s) => s.Sid)).toEqual(['NobodyElseReadsTheValue']);
    expect(keyStatements.filter((s) => s.Sid === 'NamedReadersDecryptThroughSecretsManager')).toEqual([]);
  });

  test.each([
    ['a wildcard', 'arn:aws:iam::123456789012:role/*'],
    ['a user', 'arn:aws:iam::123456789012:user/alice'],
  ])('refuses %s as a reader', (_what, arn) => {
    expect(() => build({ readers: [arn] })).toThrow(`Secrets/Secret: reader ${arn} is not an exact IAM role ARN`);
  });

  test('refuses a secret nobody may read', () => {
    expect(() => build({}, false)).toThrow('Secrets/Secret: nobody may read this secret; name at least one reader');
  });
});
