import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../../lib/app/synth';
import { parseConfig } from '../../../lib/config/load-config';
import { minimalConfig } from '../../support/configs';

/**
 * Alternating users on the synthesized template (fixture config: `amq` ActiveMQ with user `app`,
 * `rmq` RabbitMQ with administrator `admin` and application user `app`).
 */
const raw: any = minimalConfig();
raw.brokers[0].users.push({ username: 'ops', consoleAccess: true, groups: ['admins'] });
raw.brokers[1].users[0].tags = ['management'];
raw.brokers[1].users[0].permissions = [
  { vhost: '/', read: '.*' },
  { vhost: 'orders', configure: '', write: '^orders\\.', read: '^orders\\.' },
];
const { stacks } = synthEnvironment(parseConfig(raw));
const t = Template.fromStack(stacks.brokers);
const resources = t.toJSON().Resources as Record<string, { Type: string; Properties: any; DependsOn?: string[] }>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const secretName = (id: string) => resources[id].Properties.Name as string;
const fnId = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === 'mq-platform-test-credential-rotation')![0];
const broker = (name: string) => ofType('AWS::AmazonMQ::Broker').find(([, r]) => r.Properties.BrokerName === name)!;

/** `{{resolve:secretsmanager:<secret>:SecretString:password::}}` → the secret's logical id. */
function referencedSecret(password: any): string {
  const parts = password['Fn::Join'][1];
  expect(parts[0]).toBe('{{resolve:secretsmanager:');
  expect(parts[2]).toBe(':SecretString:password::}}'); // AWSCURRENT, no version pinned
  return parts[1].Ref;
}

describe('CloudFormation and rotation never fight', () => {
  test('ActiveMQ: the broker lists both users of every pair, each with its own broker-user secret, never a client secret', () => {
    const [, amq] = broker('amq-test');
    const users = amq.Properties.Users as Array<{ Username: string; Password: any; ConsoleAccess: boolean; Groups?: string[] }>;
    expect(users.map((u) => [u.Username, secretName(referencedSecret(u.Password)), u.ConsoleAccess, u.Groups])).toEqual([
      ['app', 'mq-platform/test/amq/broker-users/app', false, undefined],
      ['app_clone', 'mq-platform/test/amq/broker-users/app_clone', false, undefined],
      ['ops', 'mq-platform/test/amq/broker-users/ops', true, ['admins']],
      ['ops_clone', 'mq-platform/test/amq/broker-users/ops_clone', true, ['admins']],
    ]);
    // Rotation writes a broker-user secret before it changes that user, and never the one the
    // client secret names: whatever a deploy resolves is the broker's value or the newest pending one.
    const clientSecrets = ['mq-platform/test/amq/app', 'mq-platform/test/amq/ops'];
    for (const u of users) expect(clientSecrets).not.toContain(secretName(referencedSecret(u.Password)));
    // Nothing in the template pins a version or a stage other than AWSCURRENT, so there is no older value to go back to.
    expect(JSON.stringify(amq.Properties.Users)).not.toMatch(/AWSPREVIOUS|AWSPENDING/);
  });

  test("ActiveMQ: the broker waits for the seeds that copy each client secret into its A user's broker-user secret", () => {
    const [amqId, amq] = broker('amq-test');
    const seeds = ofType('Custom::MqPlatformSeedBrokerUserSecret');
    expect(
      seeds.map(([, r]) => [
        r.Properties.Kind,
        secretName(r.Properties.SourceSecretArn.Ref),
        secretName(r.Properties.TargetSecretArn.Ref),
        r.Properties.Username,
      ]),
    ).toEqual([
      ['SeedBrokerUserSecret', 'mq-platform/test/amq/app', 'mq-platform/test/amq/broker-users/app', 'app'],
      ['SeedBrokerUserSecret', 'mq-platform/test/amq/ops', 'mq-platform/test/amq/broker-users/ops', 'ops'],
    ]);
    for (const [id, r] of seeds) {
      expect(amq.DependsOn).toContain(id);
      expect(r.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    }
    // No cycle: the function (and the policy it depends on) never refers to the ActiveMQ broker.
    const fn = resources[fnId];
    expect(JSON.stringify(fn)).not.toContain(amqId);
    for (const dep of fn.DependsOn ?? []) expect(JSON.stringify(resources[dep])).not.toContain(amqId);
  });

  test('RabbitMQ: the broker holds only its administrator; application pairs come from the users custom resource', () => {
    const [rmqId, rmq] = broker('rmq-test');
    expect(rmq.Properties.Users.map((u: any) => [u.Username, secretName(referencedSecret(u.Password))])).toEqual([
      ['admin', 'mq-platform/test/rmq/admin'],
    ]);
    const [[id, cr]] = ofType('Custom::MqPlatformRabbitMqUser');
    expect(cr.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Kind: 'RabbitMqUser',
      BrokerId: { Ref: rmqId },
      ManagementUrl: { 'Fn::Select': [0, { 'Fn::GetAtt': [rmqId, 'ConsoleURLs'] }] },
      AdministratorSecretArn: { Ref: expect.stringMatching(/^rmqCredentialsadmin/) },
      SecretArn: { Ref: expect.stringMatching(/^rmqCredentialsapp/) },
      Username: 'app',
      PartnerUsername: 'app_clone',
      Tags: ['management'],
      Permissions: [
        { Vhost: '/', Configure: '.*', Write: '.*', Read: '.*' },
        { Vhost: 'orders', Configure: '', Write: '^orders\\.', Read: '^orders\\.' },
      ],
    });
    // It reaches the management API only once both security groups let the function in.
    const rules = [...ofType('AWS::EC2::SecurityGroupEgress'), ...ofType('AWS::EC2::SecurityGroupIngress')].filter(([, r]) =>
      JSON.stringify(r.Properties).includes('rmqSecurityGroup'),
    );
    expect(rules.length).toBe(4);
    for (const [ruleId] of rules) expect(resources[id].DependsOn).toContain(ruleId);
  });

  test('the client secrets keep their construct ids, names and generated value template', () => {
    const generate = {
      ExcludeCharacters: ',:="\'\\/@%?#&+`$ ',
      GenerateStringKey: 'password',
      PasswordLength: 32,
      RequireEachIncludedType: true,
    };
    const expected: Record<string, string> = {
      'mq-platform/test/amq/app': 'amqCredentialsapp',
      'mq-platform/test/rmq/app': 'rmqCredentialsapp',
      'mq-platform/test/rmq/admin': 'rmqCredentialsadmin',
    };
    for (const [name, idPrefix] of Object.entries(expected)) {
      const [id, secret] = ofType('AWS::SecretsManager::Secret').find(([, r]) => r.Properties.Name === name)!;
      expect(id.startsWith(idPrefix)).toBe(true);
      expect(secret.Properties.GenerateSecretString).toEqual({
        ...generate,
        SecretStringTemplate: JSON.stringify({ username: name.split('/').pop() }),
      });
    }
  });
});

describe('rotation schedules', () => {
  const schedules = Object.fromEntries(
    ofType('AWS::SecretsManager::RotationSchedule').map(([, r]) => [
      secretName(r.Properties.SecretId.Ref),
      r.Properties.RotationRules.ScheduleExpression,
    ]),
  );

  test('ActiveMQ pairs in the maintenance window (its reboot), broker-user secrets 12 hours later', () => {
    expect(schedules['mq-platform/test/amq/app']).toBe('cron(0 3 ? * SUN#1 *)');
    expect(schedules['mq-platform/test/amq/ops']).toBe('cron(0 3 ? * SUN#1 *)');
    for (const u of ['app', 'app_clone', 'ops', 'ops_clone'])
      expect(schedules[`mq-platform/test/amq/broker-users/${u}`]).toBe('cron(0 15 ? * SUN#1 *)');
  });

  test('RabbitMQ outside the maintenance window: application pairs 12 hours after it starts, the administrator an hour later', () => {
    expect(schedules['mq-platform/test/rmq/app']).toBe('cron(0 15 ? * SUN#1 *)');
    expect(schedules['mq-platform/test/rmq/admin']).toBe('cron(0 16 ? * SUN#1 *)');
  });

  test('a schedule waits for the users its configuration test logs in with (Secrets Manager runs testSecret when it creates one)', () => {
    const dependsOn = (name: string) =>
      ofType('AWS::SecretsManager::RotationSchedule').find(([, r]) => secretName(r.Properties.SecretId.Ref) === name)![1].DependsOn ?? [];
    const [rmqUsers] = ofType('Custom::MqPlatformRabbitMqUser')[0];
    expect(dependsOn('mq-platform/test/rmq/app')).toContain(rmqUsers);
    const seedOf = (user: string) => ofType('Custom::MqPlatformSeedBrokerUserSecret').find(([, r]) => r.Properties.Username === user)![0];
    expect(dependsOn('mq-platform/test/amq/broker-users/app')).toContain(seedOf('app'));
    for (const name of ['mq-platform/test/amq/app', 'mq-platform/test/rmq/admin'])
      expect(dependsOn(name)).toContainEqual(expect.stringMatching(/^(amq|rmq)[0-9A-F]{8}$/)); // the broker
  });

  test("migration: administrator.rotation false leaves the administrator's secret unrotated and read-only to the function", () => {
    const c: any = minimalConfig();
    c.brokers[1].administrator.rotation = false;
    const tpl = Template.fromStack(synthEnvironment(parseConfig(c)).stacks.brokers).toJSON();
    const res = Object.values(tpl.Resources) as Array<{ Type: string; Properties: any }>;
    const adminId = Object.keys(tpl.Resources).find((k) => tpl.Resources[k].Properties?.Name === 'mq-platform/test/rmq/admin')!;
    expect(res.filter((r) => r.Type === 'AWS::SecretsManager::RotationSchedule').map((r) => r.Properties.SecretId.Ref)).not.toContain(
      adminId,
    );
    const writes = res
      .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes('secretsmanager:PutSecretValue'))
      .flatMap((s: any) => s.Resource);
    expect(writes).not.toContainEqual({ Ref: adminId });
  });
});

describe('operations', () => {
  test("alarms on the function's errors and throttles, to the alarm topic, named like every alarm of the environment", () => {
    const topic = { 'Fn::Join': ['', ['arn:aws:sns:eu-west-1:', { Ref: 'AWS::AccountId' }, ':mq-platform-test-alarms']] };
    for (const [name, metric] of [
      ['mq-platform-test-credential-rotation-failed', 'Errors'],
      ['mq-platform-test-credential-rotation-throttled', 'Throttles'],
    ]) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: name,
        MetricName: metric,
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
        OKActions: [topic],
      });
    }
  });

  test("an EventBridge rule sends Secrets Manager's RotationFailed events of the environment's secrets to the alarm topic", () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'mq-platform-test-credential-rotation-failed',
      EventPattern: {
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: ['RotationFailed'],
          additionalEventData: {
            SecretId: [
              {
                prefix: { 'Fn::Join': ['', ['arn:aws:secretsmanager:eu-west-1:', { Ref: 'AWS::AccountId' }, ':secret:mq-platform/test/']] },
              },
            ],
          },
        },
      },
      Targets: [
        {
          Arn: { 'Fn::Join': ['', ['arn:aws:sns:eu-west-1:', { Ref: 'AWS::AccountId' }, ':mq-platform-test-alarms']] },
          Id: 'Target0',
          // A message on-call can act on: which secret, when, and the command to rerun it.
          InputTransformer: {
            InputPathsMap: { 'detail-additionalEventData-SecretId': '$.detail.additionalEventData.SecretId', time: '$.time' },
            InputTemplate: Match.stringLikeRegexp(
              'could not rotate <detail-additionalEventData-SecretId> \\(<time>\\).*aws secretsmanager rotate-secret --secret-id <detail-additionalEventData-SecretId>',
            ),
          },
        },
      ],
    });
  });

  test("the alarm topic lets this account's rules of the environment publish, and its key lets EventBridge encrypt", () => {
    const m = Template.fromStack(stacks.monitoring);
    const topicPolicy = Object.values(m.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(topicPolicy).toContainEqual(
      expect.objectContaining({
        Sid: 'AllowEnvironmentEventRules',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': { 'Fn::Join': ['', ['arn:aws:events:eu-west-1:', { Ref: 'AWS::AccountId' }, ':rule/mq-platform-test-*']] },
          },
        },
      }),
    );
    const keyPolicy = Object.values(m.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(keyPolicy).toContainEqual(
      expect.objectContaining({
        Sid: 'AllowEventBridgeRules',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });

  test('no dependency cycle in the brokers stack (Ref, GetAtt, DependsOn)', () => {
    const edges = (o: unknown, acc: Set<string>): Set<string> => {
      if (Array.isArray(o)) o.forEach((x) => edges(x, acc));
      else if (o && typeof o === 'object') {
        for (const [k, v] of Object.entries(o)) {
          if (k === 'Ref' && typeof v === 'string' && v in resources) acc.add(v);
          else if (k === 'Fn::GetAtt') acc.add((v as string[])[0]);
          else edges(v, acc);
        }
      }
      return acc;
    };
    const graph = Object.fromEntries(
      Object.entries(resources).map(([id, r]) => [id, [...edges(r.Properties ?? {}, new Set(r.DependsOn ?? []))]]),
    );
    const state: Record<string, 1 | 2> = {};
    const visit = (id: string, path: string[]): string[] | undefined => {
      if (state[id] === 2) return undefined;
      if (state[id] === 1) return [...path, id];
      state[id] = 1;
      for (const next of graph[id] ?? []) {
        const cycle = visit(next, [...path, id]);
        if (cycle) return cycle;
      }
      state[id] = 2;
      return undefined;
    };
    for (const id of Object.keys(graph)) expect(visit(id, [])).toBeUndefined();
  });

  test('no Lambda but the rotation function (custom resources run on it, not on a provider framework)', () => {
    expect(ofType('AWS::Lambda::Function').map(([id]) => id)).toEqual([fnId]);
  });
});
