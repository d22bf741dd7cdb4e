import { Stack } from 'aws-cdk-lib';
import { isolatedVpc, plainApp } from '../../support/apps';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { resolveAuthentication, isTokenAuthentication } from '../../../lib/config/authentication-plan';
import { MqBroker, type MqBrokerProps } from '../../../lib/constructs/broker/mq-broker';

const ISSUER = 'https://a1b2c3d4-0000-1111-2222-333344445555.tokens.sts.global.api.aws';
const plan = (() => {
  const a = resolveAuthentication({ strategy: 'iam', issuer: ISSUER, roles: [] });
  if (!isTokenAuthentication(a)) throw new Error('expected token authentication');
  return a;
})();

function build(props: Partial<MqBrokerProps> = {}) {
  const app = plainApp();
  const stack = new Stack(app, 'Test', { env: { region: 'eu-west-1', account: '123456789012' } });
  const vpc = isolatedVpc(stack);
  const broker = new MqBroker(stack, 'Broker', {
    brokerName: 'events-test',
    engine: 'RABBITMQ',
    engineVersion: '4.2',
    deploymentMode: 'SINGLE_INSTANCE',
    instanceType: 'mq.m7g.medium',
    vpc,
    users: [],
    tokenAuthentication: { kind: 'iam', audience: 'rabbitmq', tokenLifetimeSeconds: 900, rabbitMqConf: plan.rabbitMqConf },
    ...props,
  });
  return { stack, broker };
}

describe('MqBroker with IAM authentication', () => {
  test('CONFIG_MANAGED, no user, no secret; a CONFIG_MANAGED configuration with the OAuth 2.0 entries', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::AmazonMQ::Broker', {
      AuthenticationStrategy: 'CONFIG_MANAGED',
      Users: Match.absent(),
      Configuration: { Id: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BrokerConfiguration'), 'Id'] }, Revision: Match.anyValue() },
    });
    t.hasResourceProperties('AWS::AmazonMQ::Configuration', {
      AuthenticationStrategy: 'CONFIG_MANAGED',
      EngineType: 'RABBITMQ',
      Data: {
        'Fn::Base64': `auth_backends.1 = oauth2\nauth_oauth2.resource_server_id = rabbitmq\nauth_oauth2.issuer = ${ISSUER}\nauth_oauth2.preferred_username_claims.1 = sub\nauth_oauth2.additional_scopes_key = sub\n`,
      },
    });
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('grantConnect: the role may get tokens for the broker audience only, and describe the broker; the broker maps its ARN to scopes', () => {
    const { stack, broker } = build();
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const grant = broker.grantConnect(role, {
      vhost: 'orders',
      permissions: { read: 'orders.*', write: 'orders.*' },
      tags: ['monitoring'],
    });
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'sts:GetWebIdentityToken',
            Effect: 'Allow',
            Resource: '*',
            Condition: {
              'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['rabbitmq'] },
              Null: { 'sts:IdentityTokenAudience': 'false' },
              NumericLessThanEquals: { 'sts:DurationSeconds': 900 },
              StringEquals: { 'sts:SigningAlgorithm': ['RS256', 'ES384'] },
            },
          },
          { Action: 'mq:DescribeBroker', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Broker'), 'Arn'] } },
        ],
      },
    });
    // The alias joins the broker configuration's data at synth (Fn::Base64 of the joined text).
    const data = JSON.stringify(Template.fromStack(stack).findResources('AWS::AmazonMQ::Configuration'));
    expect(data).toContain(
      'auth_oauth2.scope_aliases.1.scope = rabbitmq.write:orders/orders.* rabbitmq.read:orders/orders.* rabbitmq.tag:monitoring',
    );
    const conf = broker.authenticationConf();
    expect(conf.slice(0, plan.rabbitMqConf.length)).toEqual(plan.rabbitMqConf);
    expect(stack.resolve(conf.slice(plan.rabbitMqConf.length))).toEqual([
      { key: 'auth_oauth2.scope_aliases.1.alias', value: { 'Fn::GetAtt': [expect.stringMatching(/^App/), 'Arn'] } },
      {
        key: 'auth_oauth2.scope_aliases.1.scope',
        value: 'rabbitmq.write:orders/orders.* rabbitmq.read:orders/orders.* rabbitmq.tag:monitoring',
      },
    ]);
  });

  test('grantConnect needs an IAM broker and a role', () => {
    const { stack, broker } = build({ tokenAuthentication: { kind: 'oauth2', audience: 'mq' } });
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => broker.grantConnect(role, { vhost: '/', permissions: { read: '*' } })).toThrow(
      'Test/Broker: grantConnect needs a broker with IAM authentication',
    );
    const iamBroker = build().broker;
    expect(() => iamBroker.grantConnect(new iam.AccountRootPrincipal(), { vhost: '/', permissions: { read: '*' } })).toThrow(
      'Test/Broker: grantConnect needs an IAM role; the broker maps role ARNs to permissions',
    );
  });

  test('token authentication without internal users refuses users and an administrator; ActiveMQ refuses it', () => {
    expect(() => build({ administrator: { username: 'admin' } })).toThrow(
      'events-test: a broker on token authentication without internal users takes no administrator and no users',
    );
    expect(() => build({ engine: 'ACTIVEMQ', engineVersion: '5.19', instanceType: 'mq.m5.large' })).toThrow(
      'events-test: token (IAM, OAuth 2.0) authentication is for RabbitMQ brokers',
    );
  });

  test('with internal users the administrator stays, its password a dynamic reference', () => {
    const { stack } = build({
      administrator: { username: 'admin' },
      tokenAuthentication: { kind: 'oauth2', audience: 'mq', internalUsers: true },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::AmazonMQ::Broker', {
      AuthenticationStrategy: 'CONFIG_MANAGED',
      Users: [{ Username: 'admin', Password: Match.objectLike({}) }],
    });
  });
});
