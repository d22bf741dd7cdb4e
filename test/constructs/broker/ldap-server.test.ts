import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { MqBrokerLdap } from '../../../lib/constructs/broker/ldap-server';
import { MqBroker, type MqBrokerProps } from '../../../lib/constructs/broker/mq-broker';
import { isolatedVpc, plainApp } from '../../support/apps';

const REFERENCED = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:directory/amazonmq-a1B2c3';

const LDAP: MqBrokerLdap = {
  hosts: ['ldap.example.com', 'ldap-failover.example.com'],
  serviceAccountUsername: 'cn=amazonmq,ou=services,dc=example,dc=com',
  userBase: 'ou=Users,dc=example,dc=com',
  userSearchMatching: '(uid={0})',
  userSearchSubtree: true,
  roleBase: 'ou=Groups,dc=example,dc=com',
  roleSearchMatching: '(member={0})',
  roleName: 'cn',
};

function build(ldap: (stack: Stack) => MqBrokerLdap, props: Partial<MqBrokerProps> = {}) {
  const app = plainApp();
  const stack = new Stack(app, 'Test', { env: { region: 'eu-west-1' } });
  const vpc = isolatedVpc(stack, ['eu-west-1a', 'eu-west-1b']);
  const broker = new MqBroker(stack, 'Broker', {
    brokerName: 'orders-test',
    engine: 'ACTIVEMQ',
    engineVersion: '5.19',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    instanceType: 'mq.m5.large',
    vpc,
    users: [],
    ldap: ldap(stack),
    ...props,
  });
  return { stack, broker, template: Template.fromStack(stack) };
}

describe('MqBroker with LDAP and a generated service-account password', () => {
  const { template, broker, stack } = build(() => ({
    ...LDAP,
    serviceAccountReaders: ['arn:aws:iam::123456789012:role/directory-admins'],
  }));

  test('LDAP strategy, LdapServerMetadata with the password as a dynamic reference, and no broker users', () => {
    template.hasResourceProperties('AWS::AmazonMQ::Broker', {
      AuthenticationStrategy: 'LDAP',
      Users: Match.absent(),
      LdapServerMetadata: {
        Hosts: ['ldap.example.com', 'ldap-failover.example.com'],
        ServiceAccountUsername: 'cn=amazonmq,ou=services,dc=example,dc=com',
        ServiceAccountPassword: {
          'Fn::Join': [
            '',
            ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^BrokerLdapServiceAccount') }, ':SecretString:password::}}'],
          ],
        },
        UserBase: 'ou=Users,dc=example,dc=com',
        UserSearchMatching: '(uid={0})',
        UserSearchSubtree: true,
        RoleBase: 'ou=Groups,dc=example,dc=com',
        RoleSearchMatching: '(member={0})',
        RoleName: 'cn',
        RoleSearchSubtree: Match.absent(),
        UserRoleName: Match.absent(),
      },
    });
  });

  test('the only secret is the generated one, under the broker prefix, encrypted with the broker key', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'mq-platform/orders-test/ldap-service-account',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BrokerKey'), 'Arn'] },
      GenerateSecretString: Match.objectLike({
        GenerateStringKey: 'password',
        SecretStringTemplate: JSON.stringify({ username: 'cn=amazonmq,ou=services,dc=example,dc=com' }),
      }),
    });
    expect(broker.ldapServiceAccountCredentials?.secret).toBe(broker.ldapServiceAccountSecret);
    expect(broker.credentials).toEqual([]);
  });

  test('reads are restricted: only the named readers and CloudFormation (restrictSecretReads)', () => {
    const policy = Object.values(template.findResources('AWS::SecretsManager::ResourcePolicy'))[0] as {
      Properties: { BlockPublicPolicy: boolean; ResourcePolicy: { Statement: Array<Record<string, unknown>> } };
    };
    expect(policy.Properties.BlockPublicPolicy).toBe(true);
    const deny = stack.resolve(policy.Properties.ResourcePolicy.Statement.find((s) => s.Sid === 'NobodyElseReadsTheValue'));
    expect(deny).toMatchObject({ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue' });
    const exempt = JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn']);
    expect(exempt).toContain('arn:aws:iam::123456789012:role/directory-admins');
    expect(exempt).toContain('cfn-exec-role');
  });

  test('no password literal anywhere in the template', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"ServiceAccountPassword":"(?!\{\{resolve)/);
  });
});

describe('MqBroker with LDAP and a referenced service-account secret', () => {
  const { template } = build((stack) => ({
    ...LDAP,
    serviceAccountSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Referenced', REFERENCED),
    serviceAccountPasswordKey: 'bindPassword',
  }));

  test('references the secret by ARN and key; creates no secret and no resource policy', () => {
    template.hasResourceProperties('AWS::AmazonMQ::Broker', {
      LdapServerMetadata: Match.objectLike({
        ServiceAccountPassword: `{{resolve:secretsmanager:${REFERENCED}:SecretString:bindPassword::}}`,
      }),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
  });
});

describe('MqBroker LDAP misuse', () => {
  test('refused for RabbitMQ and next to broker users', () => {
    expect(() =>
      build(() => LDAP, {
        engine: 'RABBITMQ',
        engineVersion: '4.2',
        deploymentMode: 'CLUSTER_MULTI_AZ',
        instanceType: 'mq.m7g.large',
        administrator: { username: 'admin' },
      }),
    ).toThrow('orders-test: LDAP authentication is for ActiveMQ brokers without broker users');
    expect(() => build(() => LDAP, { users: [{ username: 'app' }] })).toThrow(/without broker users/);
  });
});
