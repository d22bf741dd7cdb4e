import { Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../../lib/app/synth';
import { rotationFunctionName } from '../../../lib/cli/drift';
import { parseConfig } from '../../../lib/config/load-config';
import { parseDefinitions } from '../../../lib/rabbitmq/definitions';
import { minimalConfig } from '../../support/configs';

/** The definitions custom resource on the synthesized template (fixture config: `rmq` RabbitMQ 4.2 cluster). */
const raw: any = minimalConfig();
raw.brokers[1].definitions = {
  vhosts: [{ name: 'orders' }],
  exchanges: [{ vhost: 'orders', name: 'orders.dlx', type: 'fanout' }],
  queues: [{ vhost: 'orders', name: 'orders.created', arguments: { 'x-max-length': 1000 } }],
  policies: [
    { vhost: 'orders', name: 'dlx', pattern: '^orders\\.', definition: { 'dead-letter-exchange': 'orders.dlx', 'delivery-limit': 5 } },
  ],
};
raw.brokers[1].users[0].permissions = [{ vhost: 'orders' }];
const { stacks } = synthEnvironment(parseConfig(raw));
const resources = Template.fromStack(stacks.brokers).toJSON().Resources as Record<
  string,
  { Type: string; Properties: any; DependsOn?: string[] }
>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('RabbitMQ definitions custom resource', () => {
  const [[id, cr]] = ofType('Custom::MqPlatformRabbitMqDefinitions');
  const fnId = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === 'mq-platform-test-credential-rotation')![0];
  const rmqId = ofType('AWS::AmazonMQ::Broker').find(([, r]) => r.Properties.BrokerName === 'rmq-test')![0];

  test('runs on the rotation function as the administrator, with the document as one JSON string (types kept)', () => {
    expect(id).toBe('CredentialRotationRabbitMqDefinitionsrmq085B1150');
    expect({ ...cr.Properties, Definitions: undefined }).toEqual({
      ServiceToken: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Kind: 'RabbitMqDefinitions',
      BrokerId: { Ref: rmqId },
      ManagementUrl: { 'Fn::Select': [0, { 'Fn::GetAtt': [rmqId, 'ConsoleURLs'] }] },
      AdministratorSecretArn: { Ref: expect.stringMatching(/^rmqCredentialsadmin/) },
      Definitions: undefined,
    });
    const doc = parseDefinitions(cr.Properties.Definitions);
    expect(doc.queues).toEqual([
      {
        vhost: 'orders',
        name: 'orders.created',
        type: 'quorum',
        durable: true,
        arguments: { 'x-max-length': 1000 },
        deleteWithMessages: false,
      },
    ]);
    expect(doc.policies[0]).toEqual({
      vhost: 'orders',
      name: 'dlx',
      pattern: '^orders\\.',
      applyTo: 'queues',
      priority: 0,
      definition: { 'dead-letter-exchange': 'orders.dlx', 'delivery-limit': 5 },
    });
  });

  test('the users custom resource waits for it (a permission names a vhost it creates); it waits for the security groups', () => {
    const [, users] = ofType('Custom::MqPlatformRabbitMqUser')[0];
    expect(users.DependsOn).toContain(id);
    expect(cr.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^CredentialRotationSecurityGroup/), expect.stringMatching(/^rmqSecurityGroup/)]),
    );
  });

  test('`mq-platform drift` finds the function by name', () => {
    expect(resources[fnId].Properties.FunctionName).toBe(rotationFunctionName('mq-platform-test'));
  });

  test('no definitions, no custom resource', () => {
    const plain = synthEnvironment(parseConfig(minimalConfig())).stacks.brokers;
    expect(
      Object.values(Template.fromStack(plain).toJSON().Resources).filter((r: any) => r.Type === 'Custom::MqPlatformRabbitMqDefinitions'),
    ).toEqual([]);
  });
});
