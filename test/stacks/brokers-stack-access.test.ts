import { Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { minimalConfig } from '../support/configs';

/** Issue 13: who may read each broker user secret, end to end from config. */
describe('broker user secrets are readable by the rotation function, CloudFormation and the configured readers only', () => {
  const raw = minimalConfig();
  raw.brokers[0].users = [{ username: 'app', readers: ['arn:aws:iam::123456789012:role/orders-service'] }, { username: 'ops' }];
  const { stacks } = synthEnvironment(parseConfig(raw));
  const t = Template.fromStack(stacks.brokers);
  const [rotationRole] = Object.keys(
    t.findResources('AWS::IAM::Role', { Properties: { Description: 'mq-platform-test credential rotation function' } }),
  );
  const rotation = { 'Fn::GetAtt': [rotationRole, 'Arn'] };
  const cfn = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-eu-west-1' };

  test('one resource policy per secret, public policies blocked', () => {
    const secrets = Object.keys(t.findResources('AWS::SecretsManager::Secret')).sort();
    const policies = Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy')).map((p) => p.Properties);
    expect(policies.map((p) => p.SecretId.Ref).sort()).toEqual(secrets);
    expect(policies.every((p) => p.BlockPublicPolicy === true)).toBe(true);
  });

  test.each([
    ['amqCredentialsapp', ['arn:aws:iam::123456789012:role/orders-service']],
    ['amqCredentialsops', []],
    ['rmqCredentialsapp', []],
  ])('%s: deny GetSecretValue to all but rotation, readers %j and CloudFormation', (secret, readers) => {
    const policy = Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy')).find((p) =>
      p.Properties.SecretId.Ref.startsWith(secret),
    )!;
    const deny = policy.Properties.ResourcePolicy.Statement.find((s: { Sid: string }) => s.Sid === 'NobodyElseReadsTheValue');
    expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': [rotation, ...readers, cfn] } });
  });
});
