import { Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../../lib/app/synth';
import { fixtureConfig } from '../../support/configs';

/** Issue 13: the rotation role's KMS and network-interface permissions, and its log key. */
describe('credential rotation least privilege (prod)', () => {
  const { stacks } = synthEnvironment(fixtureConfig('production'));
  const t = Template.fromStack(stacks.brokers);
  type Statement = { Action: string | string[]; Resource: unknown; Condition?: object };
  const statements: Statement[] = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('CredentialRotationRole'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
  const byAction = (a: string) => statements.filter((s) => [s.Action].flat().includes(a));
  const eni = { 'Fn::Join': ['', ['arn:aws:ec2:eu-west-1:', { Ref: 'AWS::AccountId' }, ':network-interface/*']] };

  test('decrypts and generates data keys only through Secrets Manager, and only for the secrets it rotates', () => {
    const conditions = byAction('kms:Decrypt').map((s) => s.Condition as { StringEquals: Record<string, unknown> });
    expect(conditions.length).toBeGreaterThan(0);
    for (const c of conditions) {
      expect(c.StringEquals['kms:ViaService']).toBe('secretsmanager.eu-west-1.amazonaws.com');
      expect(c.StringEquals['kms:EncryptionContext:SecretARN']).toEqual(
        expect.arrayContaining([{ Ref: expect.stringMatching(/Credentials|BrokerUser/) }]),
      );
    }
  });

  test('creates network interfaces only in its subnets with its security group; "*" only where EC2 allows nothing else', () => {
    const [create] = byAction('ec2:CreateNetworkInterface');
    const resources = JSON.stringify(create.Resource);
    expect(create.Resource).toEqual(expect.arrayContaining([eni]));
    expect(resources.match(/:subnet\//g)).toHaveLength(3);
    expect(resources).toMatch(/:security-group\/",\{"Fn::GetAtt":\["CredentialRotationSecurityGroup[0-9A-F]{8}","GroupId"\]/);
    for (const a of ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'])
      expect(byAction(a).map((s) => s.Resource)).toEqual([eni]);
    // and mq:ListBrokers, which has no resource type (issue 10: the function finds its ActiveMQ brokers by name)
    expect(statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat())).toEqual([
      'ec2:DescribeNetworkInterfaces',
      'mq:ListBrokers',
    ]);
  });

  test('its log key encrypts only its own log group', () => {
    const keys = t.findResources('AWS::KMS::Key', {
      Properties: { Description: 'Encrypts the logs of mq-platform-production-credential-rotation' },
    });
    const statements: Array<{ Sid?: string; Condition?: object }> = Object.values(keys)[0].Properties.KeyPolicy.Statement;
    const [logGroupId] = Object.keys(t.findResources('AWS::Logs::LogGroup'));
    expect(JSON.stringify(statements.find((s) => s.Sid === 'CloudWatchLogsEncryptsLogGroups')?.Condition)).toContain(
      `:log-group:MqPlatform-production-Brokers-${logGroupId}-*`,
    );
  });
});
