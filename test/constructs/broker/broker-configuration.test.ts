import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { brokerConfigurationName } from '../../../lib/constructs/broker/broker-configuration';
import { MqBroker, type MqBrokerProps } from '../../../lib/constructs/broker/mq-broker';
import { isolatedVpc, plainApp } from '../../support/apps';

function build(props: Partial<MqBrokerProps> = {}) {
  const app = plainApp();
  const stack = new Stack(app, 'Test', { env: { region: 'eu-west-1' } });
  const vpc = isolatedVpc(stack, ['eu-west-1a', 'eu-west-1b']);
  const broker = new MqBroker(stack, 'Broker', {
    brokerName: 'events-test',
    engine: 'RABBITMQ',
    engineVersion: '4.2',
    deploymentMode: 'SINGLE_INSTANCE',
    instanceType: 'mq.m7g.large',
    vpc,
    administrator: { username: 'admin' },
    users: [],
    ...props,
  });
  return { broker, template: Template.fromStack(stack) };
}

describe('MqBroker with a configuration', () => {
  const { broker, template } = build({ configuration: { data: 'heartbeat = 120\nconnection_max = 1000\n' } });

  test('creates an AWS::AmazonMQ::Configuration of the broker engine and version with the base64 data', () => {
    template.hasResourceProperties('AWS::AmazonMQ::Configuration', {
      Name: 'events-test-4.2',
      EngineType: 'RABBITMQ',
      EngineVersion: '4.2',
      AuthenticationStrategy: 'SIMPLE',
      Data: { 'Fn::Base64': 'heartbeat = 120\nconnection_max = 1000\n' },
    });
  });

  test('associates the broker with the latest revision (its construct id is a contract)', () => {
    const id = Stack.of(broker).getLogicalId(broker.configuration!.resource);
    expect(id).toMatch(/^BrokerConfiguration[0-9A-F]{8}$/);
    template.hasResourceProperties('AWS::AmazonMQ::Broker', {
      Configuration: { Id: { 'Fn::GetAtt': [id, 'Id'] }, Revision: { 'Fn::GetAtt': [id, 'Revision'] } },
    });
  });
});

test('the name changes with what replaces the configuration (engine version, authentication strategy)', () => {
  expect(brokerConfigurationName('orders-prod', '5.19')).toBe('orders-prod-5.19');
  expect(brokerConfigurationName('orders-prod', '5.19', 'LDAP')).toBe('orders-prod-5.19-ldap');
  expect(brokerConfigurationName('events-prod', '4.3', 'CONFIG_MANAGED')).toBe('events-prod-4.3-config_managed');
});

test('without a configuration the broker keeps Amazon MQ defaults and no Configuration resource exists', () => {
  const { broker, template } = build();
  expect(broker.configuration).toBeUndefined();
  template.resourceCountIs('AWS::AmazonMQ::Configuration', 0);
  template.hasResourceProperties('AWS::AmazonMQ::Broker', { Configuration: Match.absent() });
});
