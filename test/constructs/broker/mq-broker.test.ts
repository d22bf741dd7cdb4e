import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MqBroker, type MqBrokerProps } from '../../../lib/constructs/broker/mq-broker';
import { isolatedVpc, plainApp } from '../../support/apps';

function build(props: Partial<MqBrokerProps> = {}, extra?: (stack: Stack, broker: MqBroker) => void) {
  const app = plainApp();
  const stack = new Stack(app, 'Test', { env: { region: 'eu-west-1' } });
  const vpc = isolatedVpc(stack);
  const broker = new MqBroker(stack, 'Broker', {
    brokerName: 'orders-test',
    engine: 'ACTIVEMQ',
    engineVersion: '5.19',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    instanceType: 'mq.m5.large',
    vpc,
    users: [{ username: 'app' }, { username: 'admin', consoleAccess: true, groups: ['admins'] }],
    clients: [
      { name: 'apps', peer: ec2.Peer.ipv4('10.1.0.0/16') },
      { name: 'billing', peer: ec2.Peer.securityGroupId('sg-0123456789abcdef0'), protocols: ['OPENWIRE'] },
    ],
    ...props,
  });
  extra?.(stack, broker);
  return { stack, broker, vpc, template: Template.fromStack(stack) };
}

const rabbit: Partial<MqBrokerProps> = {
  brokerName: 'events-test',
  engine: 'RABBITMQ',
  engineVersion: '4.2',
  deploymentMode: 'CLUSTER_MULTI_AZ',
  instanceType: 'mq.m7g.large',
  administrator: { username: 'admin' },
  users: [{ username: 'app', partnerUsername: 'app_clone', permissions: [{ vhost: '/', configure: '.*', write: '.*', read: '.*' }] }],
  clients: [{ name: 'apps', peer: ec2.Peer.ipv4('10.1.0.0/16') }],
};

describe('MqBroker (ActiveMQ active/standby)', () => {
  const { template, broker } = build();

  test('is private, TLS-only, encrypted with its own customer-managed key, auto-upgraded', () => {
    template.hasResourceProperties('AWS::AmazonMQ::Broker', {
      BrokerName: 'orders-test',
      EngineType: 'ACTIVEMQ',
      EngineVersion: '5.19',
      DeploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
      HostInstanceType: 'mq.m5.large',
      StorageType: 'EFS',
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      AuthenticationStrategy: 'SIMPLE',
      EncryptionOptions: { UseAwsOwnedKey: false, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BrokerKey'), 'Arn'] } },
      MaintenanceWindowStartTime: { DayOfWeek: 'SUNDAY', TimeOfDay: '03:00', TimeZone: 'UTC' },
      Logs: { General: true, Audit: true },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('uses two subnets in different AZs for active/standby', () => {
    const props = template.findResources('AWS::AmazonMQ::Broker');
    const subnets = Object.values(props)[0].Properties.SubnetIds;
    expect(subnets).toHaveLength(2);
    expect(new Set(subnets.map((s: { Ref: string }) => s.Ref)).size).toBe(2);
  });

  test('passes passwords only as Secrets Manager dynamic references', () => {
    template.hasResourceProperties('AWS::AmazonMQ::Broker', {
      Users: [
        {
          Username: 'app',
          ConsoleAccess: false,
          Password: {
            'Fn::Join': [
              '',
              ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^BrokerCredentialsapp') }, ':SecretString:password::}}'],
            ],
          },
        },
        Match.objectLike({ Username: 'admin', ConsoleAccess: true, Groups: ['admins'] }),
      ],
    });
  });

  test('generates each password in Secrets Manager under the broker key, following Amazon MQ password rules', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'mq-platform/orders-test/app',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BrokerKey'), 'Arn'] },
      GenerateSecretString: {
        SecretStringTemplate: '{"username":"app"}',
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludeCharacters: Match.stringLikeRegexp('^,:='),
        RequireEachIncludedType: true,
      },
    });
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/"Password":\s*"[^{]/);
  });

  test('opens only the TLS ports of enabled protocols to named clients, and no egress', () => {
    const groups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('orders-test') },
    });
    const sg = Object.values(groups)[0].Properties;
    const ingress = sg.SecurityGroupIngress.map((r: Record<string, unknown>) => [r.CidrIp ?? 'sg', r.FromPort, r.Description]);
    expect(ingress).toEqual([
      ['10.1.0.0/16', 61617, 'apps OpenWire'],
      ['10.1.0.0/16', 61614, 'apps STOMP'],
      ['10.1.0.0/16', 5671, 'apps AMQP'],
      ['sg', 61617, 'billing OpenWire'],
    ]);
    expect(sg.SecurityGroupIngress[3]).toMatchObject({ SourceSecurityGroupId: 'sg-0123456789abcdef0', ToPort: 61617 });
    // CDK's placeholder rule that matches no traffic: the broker may not open connections.
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
  });

  test('keeps key, secrets and broker on stack deletion by default', () => {
    template.hasResource('AWS::AmazonMQ::Broker', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  test('is connectable on its first protocol port', () => {
    expect(broker.connections.defaultPort?.toString()).toBe('61617');
    expect(broker.connections.securityGroups).toHaveLength(1);
  });

  test('publishes metrics on the instance dimensions Amazon MQ uses for ActiveMQ', () => {
    expect(broker.brokerDimensions()).toEqual(['orders-test-1', 'orders-test-2']);
    // Whichever instance is active publishes; the helper covers both.
    const math = broker.metricCpuUtilization().toMetricConfig().mathExpression!;
    expect(math.expression).toBe('MAX([i1, i2])');
    const stats = Object.values(math.usingMetrics).map((m) => m.toMetricConfig().metricStat!);
    expect(stats.map((s) => [s.namespace, s.metricName, s.dimensions])).toEqual([
      ['AWS/AmazonMQ', 'CpuUtilization', [{ name: 'Broker', value: 'orders-test-1' }]],
      ['AWS/AmazonMQ', 'CpuUtilization', [{ name: 'Broker', value: 'orders-test-2' }]],
    ]);
  });

  test("its key: administered by the account, used only through Amazon MQ and, for this broker's secrets, Secrets Manager", () => {
    const statements: Array<{ Sid?: string; Effect: string; Action: string | string[]; Principal: unknown; Condition?: object }> =
      Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    const sids = statements.map((s) => s.Sid);
    expect(sids).toEqual(
      expect.arrayContaining([
        'AccountAdministersTheKey',
        'AccountUsesTheKeyThroughAmazonMq',
        'AccountUsesTheKeyThroughSecretsManager',
        'OnlyTheseSecretsThroughSecretsManager',
      ]),
    );
    // No statement lets the account use the key without naming the service it goes through.
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      const crypto = [s.Action].flat().some((a) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt|\*)/.test(a));
      if (crypto) expect(JSON.stringify(s.Condition)).toMatch(/"kms:ViaService":"(mq|secretsmanager)\.eu-west-1\.amazonaws\.com"/);
    }
    const onlyThese = statements.find((s) => s.Sid === 'OnlyTheseSecretsThroughSecretsManager');
    expect(onlyThese?.Effect).toBe('Deny');
    expect(JSON.stringify(onlyThese?.Condition)).toContain(
      '"ArnNotLike":{"kms:EncryptionContext:SecretARN":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":secretsmanager:eu-west-1:",{"Ref":"AWS::AccountId"},":secret:mq-platform/orders-test/*"]]}}',
    );
  });

  test("every user's secret is readable only by CloudFormation (the password references) and the named readers", () => {
    const { template: t } = build({
      credentialReaders: ['arn:aws:iam::123456789012:role/rotation'],
      users: [{ username: 'app', readers: ['arn:aws:iam::123456789012:role/orders-service'] }, { username: 'admin' }],
    });
    const policies = Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy')).map((p) => p.Properties);
    const denied = (p: (typeof policies)[number]) =>
      p.ResourcePolicy.Statement.find((s: { Sid: string }) => s.Sid === 'NobodyElseReadsTheValue').Condition.ArnNotEquals[
        'aws:PrincipalArn'
      ];
    const bySecret = Object.fromEntries(policies.map((p) => [p.SecretId.Ref.replace(/[0-9A-F]{8}$/, ''), denied(p)]));
    expect(bySecret).toEqual({
      BrokerCredentialsapp: [
        'arn:aws:iam::123456789012:role/rotation',
        'arn:aws:iam::123456789012:role/orders-service',
        expect.objectContaining({ 'Fn::Sub': expect.stringContaining('cfn-exec-role') }),
      ],
      BrokerCredentialsadmin: [
        'arn:aws:iam::123456789012:role/rotation',
        expect.objectContaining({ 'Fn::Sub': expect.stringContaining('cfn-exec-role') }),
      ],
    });
    expect(policies.every((p) => p.BlockPublicPolicy === true)).toBe(true);
  });

  test('grants read access to credentials and describe access to the broker', () => {
    const { template: t } = build({}, (stack, b) => {
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      expect(b.grantReadCredentials(role).success).toBe(true);
      expect(b.grantDescribe(role).success).toBe(true);
    });
    // The secrets deny reading to anyone not named: the grant names the role in them.
    for (const p of Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy'))) {
      expect(JSON.stringify(p.Properties.ResourcePolicy)).toContain('"NamedReadersReadTheValue"');
      expect(JSON.stringify(p.Properties.ResourcePolicy)).toMatch(/"Fn::GetAtt":\["Reader[0-9A-F]{8}","Arn"\]/);
    }
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: [{ Ref: Match.anyValue() }, { Ref: Match.anyValue() }],
          }),
          Match.objectLike({ Action: 'kms:Decrypt' }),
          Match.objectLike({ Action: 'mq:DescribeBroker', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Broker'), 'Arn'] } }),
        ]),
      },
    });
  });
});

describe('MqBroker users', () => {
  const pairs = build({
    users: [
      { username: 'app', partnerUsername: 'app_clone' },
      { username: 'ops', partnerUsername: 'ops_clone', consoleAccess: true, groups: ['admins'] },
    ],
  });
  const users = Object.values(pairs.template.findResources('AWS::AmazonMQ::Broker'))[0].Properties.Users;
  const secretRef = (u: any) => u.Password['Fn::Join'][1][1].Ref as string;
  const secrets = pairs.template.findResources('AWS::SecretsManager::Secret');

  test('ActiveMQ pairs: both users in the broker, each password from its own broker-user secret', () => {
    expect(users.map((u: any) => [u.Username, secrets[secretRef(u)].Properties.Name, u.ConsoleAccess, u.Groups])).toEqual([
      ['app', 'mq-platform/orders-test/broker-users/app', false, undefined],
      ['app_clone', 'mq-platform/orders-test/broker-users/app_clone', false, undefined],
      ['ops', 'mq-platform/orders-test/broker-users/ops', true, ['admins']],
      ['ops_clone', 'mq-platform/orders-test/broker-users/ops_clone', true, ['admins']],
    ]);
    expect(pairs.broker.credentials.map((c) => c.secretName)).toEqual(['mq-platform/orders-test/app', 'mq-platform/orders-test/ops']);
    expect(Object.keys(pairs.broker.brokerUserSecrets)).toEqual(['app', 'app_clone', 'ops', 'ops_clone']);
  });

  test('a user without a partner is a single user whose password is its own secret', () => {
    const single = build({ users: [{ username: 'app' }] });
    const [u] = Object.values(single.template.findResources('AWS::AmazonMQ::Broker'))[0].Properties.Users;
    expect(single.template.findResources('AWS::SecretsManager::Secret')[secretRef(u)].Properties.Name).toBe('mq-platform/orders-test/app');
    expect(single.broker.brokerUserSecrets).toEqual({});
  });

  test('an administrator is for RabbitMQ only, and RabbitMQ needs one', () => {
    expect(() => build({ administrator: { username: 'admin' } })).toThrow('orders-test: an ActiveMQ broker takes no administrator');
    expect(() => build({ ...rabbit, administrator: undefined })).toThrow('events-test: a RabbitMQ broker needs its administrator');
  });

  test('grants rotation of some secrets: their values, and the key only for them', () => {
    const { template: t } = build({ users: [{ username: 'app', partnerUsername: 'app_clone' }] }, (stack, b) => {
      const role = new iam.Role(stack, 'Rotator', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      expect(b.grantRotateSecrets(role, [b.credentials[0].secret]).success).toBe(true);
      expect(b.grantManageUsers(role).success).toBe(true);
    });
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const app = { Ref: expect.stringMatching(/^BrokerCredentialsapp/) };
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          Resource: app,
        }),
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^BrokerKey/), 'Arn'] },
          Condition: {
            StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': [app] },
          },
        }),
        expect.objectContaining({
          Action: ['mq:DescribeBroker', 'mq:DescribeUser', 'mq:UpdateUser', 'mq:RebootBroker'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Broker/), 'Arn'] },
        }),
      ]),
    );
  });
});

test("the key policy stays far below KMS's 32 KB with 200 users that each name readers", () => {
  const users = Array.from({ length: 200 }, (_, i) => ({
    username: `user-${i}`,
    readers: [`arn:aws:iam::123456789012:role/app-${i % 5}`, 'arn:aws:iam::123456789012:role/ops'],
  }));
  const { template: t } = build({ users, credentialReaders: ['arn:aws:iam::123456789012:role/rotation'] });
  const policy = Object.values(t.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy;
  // One statement names the readers given by literal ARN (5 apps, ops, rotation here) and the secrets' prefix.
  const readers = policy.Statement.filter((s: { Sid?: string }) => s.Sid === 'NamedReadersDecryptThroughSecretsManager');
  expect(readers).toHaveLength(1);
  expect(readers[0].Condition.ArnEquals['aws:PrincipalArn']).toHaveLength(7);
  expect(JSON.stringify(policy).length).toBeLessThan(8_000);
});

test('grantReadCredentials refuses a principal that is not a role (secrets name their readers by role ARN)', () => {
  expect(() => build({}, (_stack, b) => b.grantReadCredentials(new iam.ServicePrincipal('lambda.amazonaws.com')))).toThrow(
    /grantReadCredentials needs an IAM role/,
  );
});

describe('MqBroker (RabbitMQ cluster)', () => {
  const { template, broker } = build(rabbit);

  test('has EBS storage, general logs and no Audit key at all', () => {
    const b = Object.values(template.findResources('AWS::AmazonMQ::Broker'))[0].Properties;
    expect(b.StorageType).toBe('EBS');
    expect(b.Logs).toEqual({ General: true });
    // Only the administrator: Amazon MQ creates no other RabbitMQ user (application users come from the management API).
    expect(b.Users).toEqual([{ Username: 'admin', Password: expect.anything() }]);
    expect(broker.administratorCredentials?.secretName).toBe('mq-platform/events-test/admin');
    expect(broker.credentials.map((c) => c.secretName)).toEqual(['mq-platform/events-test/app']);
    expect(broker.brokerUserSecrets).toEqual({});
  });

  test('spreads the cluster over three subnets', () => {
    const b = Object.values(template.findResources('AWS::AmazonMQ::Broker'))[0].Properties;
    expect(b.SubnetIds).toHaveLength(3);
  });

  test('opens AMQPS only by default', () => {
    const sg = Object.values(template.findResources('AWS::EC2::SecurityGroup'))[0].Properties;
    expect(sg.SecurityGroupIngress.map((r: { FromPort: number }) => r.FromPort)).toEqual([5671]);
  });

  test('uses the broker name as the Broker dimension', () => {
    expect(broker.brokerDimensions()).toEqual(['events-test']);
    expect(broker.metricCpuUtilization().toMetricConfig().metricStat).toMatchObject({
      metricName: 'SystemCpuUtilization',
      dimensions: [{ name: 'Broker', value: 'events-test' }],
    });
  });

  test('acknowledges the validator only for m7g sizes its data lacks', () => {
    const big = build({ ...rabbit, instanceType: 'mq.m7g.4xlarge' });
    const acks = big.broker.resource.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules');
    expect(JSON.stringify(acks)).toContain('CloudFormation-Validate::E3670');
    expect(broker.resource.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')).toEqual([]);
  });

  test('can be destroyed with its stack when asked', () => {
    const t = build({ ...rabbit, removalPolicy: RemovalPolicy.DESTROY }).template;
    t.hasResource('AWS::AmazonMQ::Broker', { DeletionPolicy: 'Delete' });
  });
});

describe('MqBroker.fromBrokerAttributes', () => {
  const stack = new Stack(plainApp(), 'Consumer', { env: { region: 'eu-west-1', account: '111122223333' } });
  const broker = MqBroker.fromBrokerAttributes(stack, 'Orders', {
    brokerId: 'b-1234a5b6-78cd-901e-2fab-3c45d6e178f9',
    brokerName: 'orders-prod',
    engine: 'ACTIVEMQ',
    engineVersion: '5.19',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
  });

  test('builds the broker ARN from its name and id', () => {
    expect(stack.resolve(broker.brokerArn)).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':mq:eu-west-1:111122223333:broker:orders-prod:b-1234a5b6-78cd-901e-2fab-3c45d6e178f9'],
      ],
    });
  });

  test('has the metrics of a broker defined here', () => {
    expect(broker.metric('TotalMessageCount').toMetricConfig().metricStat).toMatchObject({
      metricName: 'TotalMessageCount',
      dimensions: [{ name: 'Broker', value: 'orders-prod-1' }],
    });
    expect(broker.metrics.brokerDimensions()).toEqual(['orders-prod-1', 'orders-prod-2']);
  });

  test.each([
    [
      'grant',
      (b: typeof broker, r: iam.IGrantable) => b.grant(r, 'mq:DescribeUser', 'mq:UpdateUser'),
      ['mq:DescribeUser', 'mq:UpdateUser'],
    ],
    ['grantDescribe', (b: typeof broker, r: iam.IGrantable) => b.grantDescribe(r), 'mq:DescribeBroker'],
    ['grantReboot', (b: typeof broker, r: iam.IGrantable) => b.grantReboot(r), 'mq:RebootBroker'],
  ])('%s returns a Grant on the broker ARN', (_name, grant, actions) => {
    const s = new Stack(plainApp(), 'Grants', { env: { region: 'eu-west-1', account: '111122223333' } });
    const b = MqBroker.fromBrokerAttributes(s, 'Orders', {
      brokerId: 'b-1',
      brokerName: 'orders-prod',
      brokerArn: 'arn:aws:mq:eu-west-1:111122223333:broker:orders-prod:b-1',
      engine: 'RABBITMQ',
      engineVersion: '3.13',
      deploymentMode: 'SINGLE_INSTANCE',
    });
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(grant(b, role).success).toBe(true);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: actions, Resource: 'arn:aws:mq:eu-west-1:111122223333:broker:orders-prod:b-1' })],
      },
    });
  });
});
