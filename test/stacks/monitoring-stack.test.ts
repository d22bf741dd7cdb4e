import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { fixtureConfig, minimalConfig } from '../support/configs';

describe('MonitoringStack', () => {
  const raw: any = minimalConfig();
  raw.monitoring = {
    subscriptions: [
      { protocol: 'email', endpoint: 'oncall@example.com' },
      { protocol: 'https', endpoint: 'https://hooks.example.com/mq' },
    ],
    alarmTopicArns: ['arn:aws:sns:eu-west-1:123456789012:chatops'],
  };
  const { stacks } = synthEnvironment(parseConfig(raw));
  const template = Template.fromStack(stacks.monitoring);

  test('the alarm topic is encrypted with its own customer-managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'mq-platform-test-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  test('the account administers the topic key but uses it for nothing: only the publishing services encrypt with it', () => {
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
    const statements: any[] = key.Properties.KeyPolicy.Statement;
    const accountStatements = statements.filter((s) => s.Effect === 'Allow' && s.Principal?.AWS);
    expect(accountStatements.map((s) => s.Sid)).toEqual(['AccountAdministersTheKey']);
    const actions: string[] = accountStatements[0].Action;
    expect(actions.filter((a) => ['kms:*', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'].includes(a))).toEqual(
      [],
    );
  });

  test("the topic policy denies publishing without TLS and lets only this environment's alarms publish", () => {
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(policy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Action: 'sns:Publish',
          Principal: '*',
        }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Condition: expect.objectContaining({
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([':alarm:mq-platform-test-*'])] } },
          }),
        }),
      ]),
    );
  });

  test('subscriptions come from the config', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://hooks.example.com/mq' });
  });

  test('existing topics get every alarm and OK notification too', () => {
    const alarms = Template.fromStack(stacks.alarms[0]).findResources('AWS::CloudWatch::Alarm');
    for (const a of Object.values(alarms)) {
      expect(a.Properties.AlarmActions).toHaveLength(2);
      expect(a.Properties.AlarmActions[1]).toBe('arn:aws:sns:eu-west-1:123456789012:chatops');
      expect(a.Properties.OKActions).toEqual(a.Properties.AlarmActions);
    }
  });

  test('alarm stacks depend on the topic stack and on nothing else', () => {
    for (const s of stacks.alarms) expect(s.dependencies.map((d) => d.stackName)).toEqual(['MqPlatform-test-Monitoring']);
  });
});

describe('dashboard', () => {
  const prod = synthEnvironment(fixtureConfig('production')).stacks;
  const body = JSON.stringify(Template.fromStack(prod.monitoring).findResources('AWS::CloudWatch::Dashboard'));

  test('shows depth, throughput, connections, CPU, memory and storage per broker, and the alarm status', () => {
    for (const text of ['QueueSize', 'EnqueueCount', 'CurrentConnectionsCount', 'CpuUtilization', 'HeapUsage', 'StorePercentUsage'])
      expect(body).toContain(text);
    for (const text of [
      'MessageReadyCount',
      'PublishRate',
      'ConnectionCount',
      'SystemCpuUtilization',
      'RabbitMQMemUsed',
      'RabbitMQDiskFree',
    ])
      expect(body).toContain(text);
    expect(body).toContain('orders-production-2');
    expect(body).toContain('mq-platform-production-orders-cpu');
    expect(body).toContain('\\"type\\":\\"alarm\\"');
  });
});
