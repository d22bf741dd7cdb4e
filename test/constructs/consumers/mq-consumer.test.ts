import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MqBroker, type MqBrokerProps } from '../../../lib/constructs/broker/mq-broker';
import type { MqConsumerOptions } from '../../../lib/constructs/consumers/mq-consumer';
import { isolatedVpc, plainApp } from '../../support/apps';
import { MqNetwork } from '../../../lib/constructs/network/mq-network';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/notifier';

const activeMq: Partial<MqBrokerProps> = {};
const rabbitMq: Partial<MqBrokerProps> = {
  brokerName: 'events-test',
  engine: 'RABBITMQ',
  engineVersion: '4.2',
  deploymentMode: 'CLUSTER_MULTI_AZ',
  instanceType: 'mq.m7g.large',
  administrator: { username: 'admin' },
  users: [{ username: 'app', partnerUsername: 'app_clone', permissions: [{ vhost: '/', configure: '.*', write: '.*', read: '.*' }] }],
};

function build(brokerProps: Partial<MqBrokerProps>, consume?: (broker: MqBroker, fn: lambda.IFunction, stack: Stack) => void) {
  const app = plainApp();
  const stack = new Stack(app, 'Test', { env: { region: 'eu-west-1', account: '123456789012' } });
  const vpc = isolatedVpc(stack);
  const broker = new MqBroker(stack, 'Broker', {
    brokerName: 'orders-test',
    engine: 'ACTIVEMQ',
    engineVersion: '5.19',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    instanceType: 'mq.m5.large',
    vpc,
    users: [{ username: 'app', partnerUsername: 'app_clone' }],
    credentialReaders: ['arn:aws:iam::123456789012:role/platform'],
    ...brokerProps,
  });
  const fn = lambda.Function.fromFunctionAttributes(stack, 'Fn', {
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:notifier',
    role: iam.Role.fromRoleArn(stack, 'FnRole', ROLE_ARN, { mutable: true }),
    sameEnvironment: true,
  });
  consume?.(broker, fn, stack);
  return { stack, broker, fn, template: Template.fromStack(stack) };
}

describe('broker.addConsumer (ActiveMQ)', () => {
  let consumer: ReturnType<MqBroker['addConsumer']>;
  const { template } = build(activeMq, (broker, fn) => {
    consumer = broker.addConsumer(fn, { queue: 'orders.created', batchSize: 10, maxBatchingWindow: Duration.seconds(2) });
  });

  test('maps the queue to the function with the credential secret, the broker ARN and the batch settings', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:notifier',
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Broker'), 'Arn'] },
      Queues: ['orders.created'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
      Enabled: true,
      // ActiveMQ: BASIC_AUTH only, the application credential's secret (never a broker-user secret).
      SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: { Ref: Match.stringLikeRegexp('^BrokerCredentialsapp') } }],
    });
    expect(consumer.credentials.username).toBe('app');
  });

  test("the role's own managed policy: exactly the Amazon MQ event source statements, scoped to this broker, secret and key", () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const policy = Object.values(policies)[0] as { Properties: { Roles: string[]; PolicyDocument: { Statement: any[] } } };
    expect(policy.Properties.Roles).toEqual(['notifier']);
    const bySid = Object.fromEntries(policy.Properties.PolicyDocument.Statement.map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'CreateInterfacesInTheBrokerSubnets',
      'DecryptTheCredential',
      'DeleteInterfaces',
      'DescribeTheBroker',
      'DescribeTheNetwork',
      'ReadTheCredential',
    ]);
    expect(bySid.DescribeTheBroker).toMatchObject({
      Action: 'mq:DescribeBroker',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Broker/), 'Arn'] },
    });
    expect(bySid.ReadTheCredential).toMatchObject({
      Action: 'secretsmanager:GetSecretValue',
      Resource: { Ref: expect.stringMatching(/^BrokerCredentialsapp/) },
    });
    expect(bySid.DecryptTheCredential).toMatchObject({
      Action: 'kms:Decrypt',
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
    expect(bySid.DescribeTheNetwork.Resource).toBe('*');
    expect(bySid.DescribeTheNetwork.Action).toEqual([
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
    ]);
    // Interfaces only in the broker's two subnets (active/standby) and with its security group.
    const create = JSON.stringify(bySid.CreateInterfacesInTheBrokerSubnets.Resource);
    expect(create).toContain(':network-interface/*');
    expect(create.match(/:subnet\//g)).toHaveLength(2);
    expect(create).toContain(':security-group/');
    expect(JSON.stringify(policy)).not.toMatch(/secretsmanager:\*|mq:\*|"Resource":"\*".*mq:/);
  });

  test("the role becomes a reader of the credential's secret, and of no other secret", () => {
    const policies = template.findResources('AWS::SecretsManager::ResourcePolicy');
    const reading = Object.values(policies).filter((p) => JSON.stringify(p).includes(ROLE_ARN));
    expect(reading).toHaveLength(1);
    expect(JSON.stringify(reading[0])).toContain('BrokerCredentialsapp');
    // The key lets the named reader decrypt through Secrets Manager only.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'NamedReadersDecryptThroughSecretsManager',
            Condition: Match.objectLike({ ArnEquals: { 'aws:PrincipalArn': Match.arrayWith([ROLE_ARN]) } }),
          }),
        ]),
      },
    });
  });

  test('the broker security group admits itself on OpenWire 61617 and reaches itself there and the endpoints on 443', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 61617,
      ToPort: 61617,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BrokerSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BrokerSecurityGroup'), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      FromPort: 61617,
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BrokerSecurityGroup'), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('orders-test'),
      SecurityGroupEgress: [
        Match.objectLike({ FromPort: 443, ToPort: 443, CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'CidrBlock'] } }),
      ],
    });
  });

  test('the mapping is created after its policy, the secret policy and the security group rules', () => {
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Array<{ DependsOn: string[] }>;
    expect(mapping.DependsOn.some((d) => d.startsWith('BrokerConsumer'))).toBe(true);
    expect(mapping.DependsOn.some((d) => d.startsWith('BrokerCredentialsappPolicy'))).toBe(true);
    expect(mapping.DependsOn.some((d) => d.startsWith('BrokerSecurityGroupfrom'))).toBe(true);
  });
});

describe('broker.addConsumer (RabbitMQ)', () => {
  test('adds the virtual host, AMQP 5671 rules, egress to the given endpoint security group', () => {
    const { template } = build(rabbitMq, (broker, fn, stack) => {
      const endpoints = new ec2.SecurityGroup(stack, 'Endpoints', { vpc: broker.vpc });
      broker.addConsumer(fn, {
        queue: 'events.audit',
        virtualHost: 'billing',
        user: 'app',
        enabled: false,
        endpointSecurityGroups: [endpoints],
      });
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      Queues: ['events.audit'],
      Enabled: false,
      SourceAccessConfigurations: [
        { Type: 'BASIC_AUTH', URI: { Ref: Match.stringLikeRegexp('^BrokerCredentialsapp') } },
        { Type: 'VIRTUAL_HOST', URI: 'billing' },
      ],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5671, ToPort: 5671 });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('events-test'),
      SecurityGroupEgress: [
        Match.objectLike({
          FromPort: 443,
          DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoints'), 'GroupId'] },
        }),
      ],
    });
    // Lambda's defaults stay Lambda's: no batch size or window written.
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Array<{ Properties: object }>;
    expect(mapping.Properties).not.toHaveProperty('BatchSize');
    expect(mapping.Properties).not.toHaveProperty('MaximumBatchingWindowInSeconds');
  });

  test('two consumers share one set of security group rules', () => {
    const { template } = build(rabbitMq, (broker, fn) => {
      broker.addConsumer(fn, { queue: 'a' });
      broker.addConsumer(fn, { queue: 'b' });
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
  });
});

describe('broker.addConsumer with a function of the same app', () => {
  test("its role (a token) reads the secret and gets the policy; the key's account statement covers the decrypt", () => {
    const { template } = build(activeMq, (broker, _fn, stack) => {
      const fn = new lambda.Function(stack, 'Notifier', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => undefined;'),
      });
      broker.addConsumer(fn, { queue: 'orders.created' });
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Notifier'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^NotifierServiceRole') }] });
    const policies = Object.values(template.findResources('AWS::SecretsManager::ResourcePolicy'));
    expect(policies.filter((p) => JSON.stringify(p).includes('NotifierServiceRole'))).toHaveLength(1);
  });
});

describe('a broker without consumers', () => {
  test('has no mapping, no consumer policy, no self-referencing rule and no egress', () => {
    const { template } = build(activeMq);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });
});

describe('refused at synth', () => {
  const cases: Array<[string, Partial<MqBrokerProps>, Partial<MqConsumerOptions>, RegExp]> = [
    ['the RabbitMQ administrator', rabbitMq, { user: 'admin' }, /"admin" is not an application credential of this broker \(app\)/],
    [
      'a broker-user secret (the pair user)',
      activeMq,
      { user: 'app_clone' },
      /"app_clone" is not an application credential of this broker \(app\)/,
    ],
    ['a virtual host on ActiveMQ', activeMq, { virtualHost: '/' }, /virtualHost applies to RabbitMQ brokers only/],
    ['batch size 0', activeMq, { batchSize: 0 }, /batchSize 0 must be an integer from 1 to 10000/],
    ['batch size 10001', rabbitMq, { batchSize: 10001 }, /batchSize 10001 must be an integer from 1 to 10000/],
    [
      'a batching window of 301 s',
      activeMq,
      { maxBatchingWindow: Duration.seconds(301) },
      /maxBatchingWindow 301 s must be 0 to 300 seconds/,
    ],
    ['an empty queue name', activeMq, { queue: '' }, /queue "" must be 1 to 1000 characters/],
  ];
  test.each(cases)('%s', (_name, brokerProps, options, message) => {
    expect(() => build(brokerProps, (broker, fn) => broker.addConsumer(fn, { queue: 'q', ...options }))).toThrow(message);
  });

  test('a function without a known role', () => {
    expect(() =>
      build(activeMq, (broker, _fn, stack) => broker.addConsumer(lambda.Function.fromFunctionName(stack, 'Bare', 'bare'), { queue: 'q' })),
    ).toThrow(/the function has no known execution role/);
  });
});

describe('MqNetwork.addLambdaConsumerEndpoints', () => {
  const networkStack = () => {
    const app = plainApp();
    const stack = new Stack(app, 'Net', { env: { region: 'eu-west-1', account: '123456789012' } });
    return { stack, network: new MqNetwork(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] }) };
  };
  const before = Template.fromStack(networkStack().stack).findResources('AWS::EC2::VPCEndpoint');
  const { stack, network } = networkStack();
  network.addLambdaConsumerEndpoints({
    functionArns: [
      'arn:aws:lambda:eu-west-1:123456789012:function:notifier:live',
      'arn:aws:lambda:eu-west-1:123456789012:function:notifier',
    ],
    roleArns: [ROLE_ARN, ROLE_ARN],
  });
  const template = Template.fromStack(stack);

  test('nothing before: only the Secrets Manager endpoint', () => {
    expect(Object.keys(before)).toHaveLength(1);
  });

  test('a Lambda endpoint that only invokes the consumer functions', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.lambda',
      PrivateDnsEnabled: true,
      PolicyDocument: {
        Statement: [
          {
            Sid: 'InvokeTheConsumerFunctionsOnly',
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Resource: [
              'arn:aws:lambda:eu-west-1:123456789012:function:notifier',
              'arn:aws:lambda:eu-west-1:123456789012:function:notifier:*',
            ],
          },
        ],
      },
    });
  });

  test('an STS endpoint that only assumes the consumer roles', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.sts',
      PolicyDocument: {
        Statement: [
          { Sid: 'AssumeTheConsumerRolesOnly', Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: '*' }, Resource: ROLE_ARN },
        ],
      },
    });
  });

  test('one STS endpoint per VPC: get or create, and others add their statements to it', () => {
    const { stack, network } = networkStack();
    const sts = network.stsInterfaceEndpoint();
    sts.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Other',
        principals: [new iam.AnyPrincipal()],
        actions: ['sts:GetWebIdentityToken'],
        resources: ['*'],
      }),
    );
    network.addLambdaConsumerEndpoints({ functionArns: ['arn:aws:lambda:eu-west-1:123456789012:function:f'], roleArns: [ROLE_ARN] });
    expect(network.stsInterfaceEndpoint()).toBe(sts);
    const endpoints = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')) as Array<{ Properties: any }>;
    const stsEndpoints = endpoints.filter((e) => e.Properties.ServiceName === 'com.amazonaws.eu-west-1.sts');
    expect(stsEndpoints).toHaveLength(1);
    expect(stsEndpoints[0].Properties.PolicyDocument.Statement.map((x: { Sid: string }) => x.Sid)).toEqual([
      'Other',
      'AssumeTheConsumerRolesOnly',
    ]);
  });

  test('called twice, it refuses', () => {
    expect(() => network.addLambdaConsumerEndpoints({ functionArns: [], roleArns: [] })).toThrow(/already called/);
  });
});
