import { environmentTemplates } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { minimalConfig } from '../support/configs';

type Template = { Resources: Record<string, { Type: string; Properties: any }> };
const ROLE = 'arn:aws:iam::123456789012:role/notifier';
const of = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);

function templates(withConsumers: boolean): Record<string, Template> {
  const raw: any = structuredClone(minimalConfig());
  if (withConsumers) {
    raw.brokers[0].consumers = [{ name: 'notifier', functionName: 'orders-notifier', roleArn: ROLE, queue: 'orders.created', user: 'app' }];
    raw.brokers[1].consumers = [
      {
        name: 'audit',
        functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:events-audit:live',
        roleArn: ROLE,
        queue: 'events.audit',
        user: 'app',
      },
    ];
  }
  return environmentTemplates(parseConfig(raw, 'test'), { baseline: false }) as unknown as Record<string, Template>;
}

describe('consumers from config', () => {
  const none = templates(false);
  const some = templates(true);

  test('an environment without consumers gets no mapping, no Lambda or STS endpoint, no consumer rule', () => {
    expect(of(none['MqPlatform-test-Brokers'], 'AWS::Lambda::EventSourceMapping')).toHaveLength(0);
    const services = of(none['MqPlatform-test-Network'], 'AWS::EC2::VPCEndpoint').map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(services.filter((s) => /\.lambda"|\.sts"/.test(s))).toEqual([]);
    expect(JSON.stringify(none['MqPlatform-test-Brokers'])).not.toContain('Lambda event source mappings');
  });

  test('one mapping per consumer: the function by name (this account) or by ARN (with its alias)', () => {
    const mappings = of(some['MqPlatform-test-Brokers'], 'AWS::Lambda::EventSourceMapping').map((m) => m.Properties);
    expect(mappings.map((m) => JSON.stringify(m.FunctionName))).toEqual([
      expect.stringContaining(':function:orders-notifier'),
      '"arn:aws:lambda:eu-west-1:123456789012:function:events-audit:live"',
    ]);
    expect(mappings[1].SourceAccessConfigurations[1]).toEqual({ Type: 'VIRTUAL_HOST', URI: '/' });
  });

  test("RabbitMQ: the mapping waits for the rotation's custom resource that creates the pair's users", () => {
    const resources = some['MqPlatform-test-Brokers'].Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const [rmq] = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && id.startsWith('rmq'));
    const users = Object.keys(resources).find((id) => resources[id].Type === 'Custom::MqPlatformRabbitMqUser' && id.includes('rmqapp'));
    expect(users).toBeDefined();
    expect(rmq[1].DependsOn).toContain(users);
  });

  test("the function's role gets the consumer policy by name, and reads only its credential's secret", () => {
    const policies = of(some['MqPlatform-test-Brokers'], 'AWS::IAM::ManagedPolicy').filter((p) =>
      /Lambda consumer/.test(p.Properties.Description),
    );
    expect(policies.map((p) => p.Properties.Roles)).toEqual([['notifier'], ['notifier']]);
  });

  test('the network gets Lambda and STS endpoints limited to the consumer functions and roles', () => {
    const endpoints = of(some['MqPlatform-test-Network'], 'AWS::EC2::VPCEndpoint');
    const lambda = endpoints.find((e) => JSON.stringify(e.Properties.ServiceName).includes('.lambda'))!;
    const sts = endpoints.find((e) => JSON.stringify(e.Properties.ServiceName).includes('.sts'))!;
    expect(lambda.Properties.PolicyDocument.Statement[0].Action).toBe('lambda:InvokeFunction');
    expect(JSON.stringify(lambda.Properties.PolicyDocument.Statement[0].Resource)).toContain('function:events-audit:*');
    expect(JSON.stringify(lambda.Properties.PolicyDocument.Statement[0].Resource)).not.toContain('events-audit:live');
    expect(sts.Properties.PolicyDocument.Statement[0]).toMatchObject({ Action: 'sts:AssumeRole', Resource: ROLE });
  });

  test("the alarm stacks get the functions' errors alarms", () => {
    const names = (stack: string) => of(some[stack], 'AWS::CloudWatch::Alarm').map((a) => a.Properties.AlarmName);
    expect(names('MqPlatform-test-Alarms-amq')).toContain('mq-platform-test-amq-consumer-errors-notifier');
    expect(names('MqPlatform-test-Alarms-rmq')).toContain('mq-platform-test-rmq-consumer-errors-audit');
  });
});
