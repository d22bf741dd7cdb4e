import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { fixtureConfig, minimalConfig } from '../support/configs';

describe('BrokersStack', () => {
  const dev = synthEnvironment(fixtureConfig('dev')).stacks;
  const prod = synthEnvironment(fixtureConfig('production')).stacks;
  const devTemplate = Template.fromStack(dev.brokers);
  const prodTemplate = Template.fromStack(prod.brokers);

  test('pins the logical ids of stateful resources (changing them replaces the resource)', () => {
    expect(Object.keys(devTemplate.findResources('AWS::AmazonMQ::Broker')).sort()).toEqual(['events26E65764', 'orders46FA7C19']);
    expect(Object.keys(devTemplate.findResources('AWS::SecretsManager::Secret')).sort()).toEqual([
      'eventsCredentialseventsadminB203499F',
      'eventsCredentialseventsapp86849A4B',
      'ordersBrokerUserordersadminE12BBBDD',
      'ordersBrokerUserordersadminclone4A4050C1',
      'ordersBrokerUserordersappEF5F851D',
      'ordersBrokerUserordersappcloneF7F6D808',
      'ordersCredentialsordersadmin1F8ACBDD',
      'ordersCredentialsordersapp4D6CDD0A',
    ]);
    expect(Object.keys(devTemplate.findResources('AWS::KMS::Key')).sort()).toEqual([
      'CredentialRotationLogKeyCE549C9D',
      'eventsKey0F66D8AC',
      'ordersKey8C30302D',
    ]);
    expect(Object.keys(devTemplate.findResources('AWS::Logs::LogGroup')).sort()).toEqual(['CredentialRotationLogGroup1D3C9732']);
  });

  test('dev: single-instance ActiveMQ and RabbitMQ on small instances', () => {
    devTemplate.hasResourceProperties('AWS::AmazonMQ::Broker', {
      BrokerName: 'orders-dev',
      EngineType: 'ACTIVEMQ',
      DeploymentMode: 'SINGLE_INSTANCE',
      HostInstanceType: 'mq.t3.micro',
    });
    devTemplate.hasResourceProperties('AWS::AmazonMQ::Broker', {
      BrokerName: 'events-dev',
      EngineType: 'RABBITMQ',
      DeploymentMode: 'SINGLE_INSTANCE',
      HostInstanceType: 'mq.m7g.medium',
    });
  });

  test('prod: ActiveMQ active/standby and RabbitMQ cluster on production instances', () => {
    prodTemplate.hasResourceProperties('AWS::AmazonMQ::Broker', {
      BrokerName: 'orders-production',
      DeploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
      HostInstanceType: 'mq.m5.large',
    });
    prodTemplate.hasResourceProperties('AWS::AmazonMQ::Broker', {
      BrokerName: 'events-production',
      DeploymentMode: 'CLUSTER_MULTI_AZ',
      HostInstanceType: 'mq.m7g.large',
    });
  });

  test('prod stacks have termination protection and retain stateful resources; dev does not', () => {
    expect(prod.brokers.terminationProtection).toBe(true);
    expect(prod.network?.terminationProtection).toBe(true);
    expect(dev.brokers.terminationProtection).toBe(false);
    prodTemplate.hasResource('AWS::AmazonMQ::Broker', { DeletionPolicy: 'Retain' });
    devTemplate.hasResource('AWS::AmazonMQ::Broker', { DeletionPolicy: 'Delete' });
  });

  test('lets Amazon MQ write broker logs, before the brokers are created', () => {
    devTemplate.hasResourceProperties('AWS::Logs::ResourcePolicy', { PolicyName: 'mq-platform-dev-amazonmq-logs' });
    const policy = JSON.stringify(Object.values(devTemplate.findResources('AWS::Logs::ResourcePolicy'))[0].Properties.PolicyDocument);
    expect(policy).toContain('\\"Principal\\":{\\"Service\\":\\"mq.amazonaws.com\\"}');
    expect(policy).toContain('\\"Action\\":[\\"logs:CreateLogStream\\",\\"logs:PutLogEvents\\"]');
    expect(policy).toContain(':log-group:/aws/amazonmq/*');
    // (and, ActiveMQ, after the seeds of its broker-user secrets: test/constructs/rotation/alternating-users.test.ts)
    for (const b of Object.values(devTemplate.findResources('AWS::AmazonMQ::Broker')))
      expect(b.DependsOn).toContainEqual(expect.stringMatching(/^AmazonMqLogPolicy/));
  });

  test('outputs each enabled protocol endpoint, the console URL and the secret ARN per broker', () => {
    const outputs = Object.keys(devTemplate.findOutputs('*')).sort();
    expect(outputs).toEqual([
      'EventsAdministratorSecretArn',
      'EventsAmqpEndpoints',
      'EventsBrokerArn',
      'EventsBrokerId',
      'EventsConsoleUrl',
      'EventsSecretArn',
      'OrdersAmqpEndpoints',
      'OrdersBrokerArn',
      'OrdersBrokerId',
      'OrdersConsoleUrl',
      'OrdersOpenWireEndpoints',
      'OrdersSecretArn',
      'OrdersStompEndpoints',
    ]);
    devTemplate.hasOutput('OrdersOpenWireEndpoints', {
      Value: { 'Fn::Join': [',', { 'Fn::GetAtt': ['orders46FA7C19', 'OpenWireEndpoints'] }] },
    });
  });

  test('tags brokers and secrets so that tools can find them', () => {
    devTemplate.hasResourceProperties('AWS::AmazonMQ::Broker', {
      BrokerName: 'orders-dev',
      Tags: [
        { Key: 'mq-platform:broker', Value: 'orders' },
        { Key: 'mq-platform:environment', Value: 'dev' },
        { Key: 'owner', Value: 'platform-team' },
        { Key: 'project', Value: 'mq-platform' },
      ],
    });
    devTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'mq-platform/dev/orders/orders-app',
      Tags: [
        { Key: 'mq-platform:broker', Value: 'orders' },
        { Key: 'mq-platform:environment', Value: 'dev' },
        { Key: 'mq-platform:secret-kind', Value: 'application' },
        { Key: 'mq-platform:username', Value: 'orders-app' },
        { Key: 'owner', Value: 'platform-team' },
        { Key: 'project', Value: 'mq-platform' },
      ],
    });
    // Tools pick the secret clients read by its kind: not a broker-user secret, not the RabbitMQ administrator's.
    const kinds = Object.values(devTemplate.findResources('AWS::SecretsManager::Secret')).map((r) => [
      r.Properties.Name,
      r.Properties.Tags.find((t: { Key: string }) => t.Key === 'mq-platform:secret-kind').Value,
    ]);
    expect(kinds.sort()).toEqual([
      ['mq-platform/dev/events/events-admin', 'administrator'],
      ['mq-platform/dev/events/events-app', 'application'],
      ['mq-platform/dev/orders/broker-users/orders-admin', 'broker-user'],
      ['mq-platform/dev/orders/broker-users/orders-admin_clone', 'broker-user'],
      ['mq-platform/dev/orders/broker-users/orders-app', 'broker-user'],
      ['mq-platform/dev/orders/broker-users/orders-app_clone', 'broker-user'],
      ['mq-platform/dev/orders/orders-admin', 'application'],
      ['mq-platform/dev/orders/orders-app', 'application'],
    ]);
  });

  test('has no errors or warnings', () => {
    for (const stack of [dev.brokers, dev.network!, prod.brokers, prod.network!]) {
      expect(Annotations.fromStack(stack).findError('*', '*' as never)).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', '*' as never)).toEqual([]);
    }
  });

  test('imports an existing VPC by id, without a network stack or lookups', () => {
    const config = parseConfig({
      ...minimalConfig(),
      network: {
        mode: 'import',
        vpcId: 'vpc-0a1b2c3d4e5f67890',
        cidr: '10.0.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        subnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'],
      },
    });
    const { app, stacks } = synthEnvironment(config);
    expect(stacks.network).toBeUndefined();
    const t = Template.fromStack(stacks.brokers);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0a1b2c3d4e5f67890' });
    t.hasResourceProperties('AWS::AmazonMQ::Broker', { BrokerName: 'rmq-test', SubnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'] });
    t.hasResourceProperties('AWS::AmazonMQ::Broker', { BrokerName: 'amq-test', SubnetIds: ['subnet-0a1b2c3d'] });
    expect(app.synth().manifest.missing ?? []).toEqual([]);
  });
});
