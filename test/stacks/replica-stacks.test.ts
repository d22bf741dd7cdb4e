import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { environmentTemplates, synthEnvironment } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { replicaPlan, replicaRegions } from '../../lib/stacks/replica-stacks';
import { lockOutRule } from '../../lib/review/update-behavior';
import { deployedBaseline } from '../../lib/review/deployed-baseline';
import { minimalConfig } from '../support/configs';

/** The minimal config in us-east-1 with an active/standby ActiveMQ broker replicated to us-west-2. */
function drConfig(edit: (c: any) => void = () => undefined) {
  const c: any = structuredClone(minimalConfig({ environment: 'dr' }));
  c.region = 'us-east-1';
  c.protected = true;
  c.network.availabilityZones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  Object.assign(c.brokers[0], {
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    replica: {
      region: 'us-west-2',
      availabilityZones: ['us-west-2a', 'us-west-2b'],
      network: { cidr: '10.9.0.0/16' },
      clients: [{ name: 'apps-dr', cidr: '10.11.0.0/16' }],
    },
  });
  delete c.brokers[0].rotation;
  edit(c);
  return parseConfig(c, 'test');
}

describe('CRDR replica stacks', () => {
  const config = drConfig();
  const { app, stacks } = synthEnvironment(config, undefined, { baseline: false });
  const replica = stacks.replicas![0];
  const primaryBrokers = Template.fromStack(stacks.brokers);
  const replicaBrokers = Template.fromStack(replica.stacks.brokers);
  const brokerOf = (t: Template) => Object.values(t.findResources('AWS::AmazonMQ::Broker'))[0].Properties;

  test('one replica Region, with its own network, brokers, monitoring, alarms and replication key stacks', () => {
    expect(replicaRegions(config)).toEqual(['us-west-2']);
    expect(
      [replica.replicationKey, replica.stacks.network!, replica.stacks.brokers, replica.stacks.monitoring, ...replica.stacks.alarms].map(
        (s) => [s.stackName, s.region],
      ),
    ).toEqual([
      ['MqPlatform-dr-us-west-2-ReplicationKey', 'us-west-2'],
      ['MqPlatform-dr-us-west-2-Network', 'us-west-2'],
      ['MqPlatform-dr-us-west-2-Brokers', 'us-west-2'],
      ['MqPlatform-dr-us-west-2-Monitoring', 'us-west-2'],
      ['MqPlatform-dr-us-west-2-Alarms-amq', 'us-west-2'],
    ]);
    // Only the replicated broker: RabbitMQ has no CRDR.
    expect(Object.keys(replica.stacks.brokers.brokers)).toEqual(['amq']);
  });

  test("the replica has the primary's engine, version, instance type and mode, its own VPC and clients", () => {
    const p = brokerOf(primaryBrokers);
    const r = brokerOf(replicaBrokers);
    for (const key of ['BrokerName', 'EngineType', 'EngineVersion', 'HostInstanceType', 'DeploymentMode', 'StorageType'])
      expect({ key, value: r[key] }).toEqual({ key, value: p[key] });
    Template.fromStack(replica.stacks.network!).hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.9.0.0/16' });
    const sg = Object.values(replicaBrokers.findResources('AWS::EC2::SecurityGroup')).find((g) =>
      /amq-dr/.test(g.Properties.GroupDescription),
    )!;
    expect(sg.Properties.SecurityGroupIngress.map((r: { CidrIp: string; Description: string }) => `${r.CidrIp} ${r.Description}`)).toEqual([
      '10.11.0.0/16 apps-dr OpenWire',
      '10.11.0.0/16 apps-dr STOMP',
      '10.11.0.0/16 apps-dr AMQP',
    ]);
  });

  test('DataReplicationMode CRDR and the primary ARN through Fn::GetStackOutput: no export, no custom resource, no AWS call at synth', () => {
    const r = brokerOf(replicaBrokers);
    expect(r.DataReplicationMode).toBe('CRDR');
    const ref = r.DataReplicationPrimaryBrokerArn['Fn::GetStackOutput'];
    expect(ref).toEqual({
      StackName: 'MqPlatform-dr-Brokers',
      Region: 'us-east-1',
      OutputName: expect.stringMatching(/^PublishOutputFnGetAttamq[0-9A-F]+Arn/),
    });
    expect(Object.keys(primaryBrokers.toJSON().Outputs)).toContain(ref.OutputName);
    expect(brokerOf(primaryBrokers).DataReplicationMode).toBeUndefined();
    for (const t of [primaryBrokers, replicaBrokers]) {
      expect(Object.keys(t.findResources('Custom::CrossRegionExportWriter'))).toHaveLength(0);
      expect(Object.keys(t.findResources('Custom::CrossRegionExportReader'))).toHaveLength(0);
    }
  });

  test('one data replication user, the same secret on both sides: generated in the primary Region, replicated under the replica Region key', () => {
    const user = (t: Template) => brokerOf(t).Users.filter((u: { ReplicationUser?: boolean }) => u.ReplicationUser);
    expect(user(primaryBrokers)).toEqual([
      {
        Username: 'crdr-replication',
        ConsoleAccess: false,
        ReplicationUser: true,
        Password: expect.objectContaining({ 'Fn::Join': expect.anything() }),
      },
    ]);
    expect(user(replicaBrokers)).toEqual([
      {
        Username: 'crdr-replication',
        ConsoleAccess: false,
        ReplicationUser: true,
        Password: '{{resolve:secretsmanager:mq-platform/dr/amq/crdr/crdr-replication:SecretString:password}}',
      },
    ]);
    primaryBrokers.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'mq-platform/dr/amq/crdr/crdr-replication',
      ReplicaRegions: [{ Region: 'us-west-2', KmsKeyId: 'alias/mq-platform/dr-crdr-replication' }],
    });
    Template.fromStack(replica.replicationKey).hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/mq-platform/dr-crdr-replication',
    });
    // The replica Region's CloudFormation role may read the replicated secret (the resource policy travels with it).
    expect(JSON.stringify(primaryBrokers.findResources('AWS::SecretsManager::ResourcePolicy'))).toContain(
      'cfn-exec-role-${AWS::AccountId}-us-west-2',
    );
    // Application users keep their own, per-Region secrets.
    expect(JSON.stringify(brokerOf(replicaBrokers).Users)).not.toContain('"mq-platform/dr/amq/app');
  });

  test('deploy order: replication key, then primary brokers, then replica network and brokers', () => {
    const deps = (s: { dependencies: Array<{ stackName: string }> }) => s.dependencies.map((d) => d.stackName).sort();
    expect(deps(stacks.brokers)).toEqual(expect.arrayContaining(['MqPlatform-dr-us-west-2-ReplicationKey']));
    expect(deps(replica.stacks.brokers)).toEqual(expect.arrayContaining(['MqPlatform-dr-Brokers', 'MqPlatform-dr-us-west-2-Network']));
    app.synth(); // no cycle
  });

  test('CRDR alarms on both sides, on the metrics Amazon MQ publishes for CRDR, missing data not breaching', () => {
    for (const stack of [stacks.alarms[0], replica.stacks.alarms[0]]) {
      const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).filter((a) =>
        /crdr/.test(a.Properties.AlarmName),
      );
      expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual([
        'mq-platform-dr-amq-crdr-replication-lag',
        'mq-platform-dr-amq-crdr-wait-time',
      ]);
      const metrics = alarms.flatMap((a) =>
        a.Properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map(
          (m: any) => `${m.MetricStat.Metric.MetricName}@${m.MetricStat.Metric.Dimensions[0].Value}`,
        ),
      );
      expect(metrics.sort()).toEqual(
        ['PrimaryWaitTime', 'ReplicaWaitTime', 'ReplicationLag', 'TotalReplicationLag']
          .flatMap((m) => [`${m}@amq-dr-1`, `${m}@amq-dr-2`])
          .sort(),
      );
      for (const a of alarms) expect(a.Properties).toMatchObject({ Threshold: 300000, TreatMissingData: 'notBreaching' });
    }
  });

  test('the replica plan: same environment and broker names, its own stack names and dashboard', () => {
    const plan = replicaPlan(config, 'us-west-2');
    expect([plan.environment, plan.region, plan.names.dashboard, plan.brokers.map((b) => b.brokerName), plan.brokers[0].replica]).toEqual([
      'dr',
      'us-west-2',
      'mq-platform-dr-us-west-2',
      ['amq-dr'],
      undefined,
    ]);
    expect(plan.brokers[0].consumers).toEqual([]);
  });
});

describe('the replacement guard covers the replica stacks with the rest of the environment', () => {
  const baseline = environmentTemplates(drConfig(), { baseline: false });

  test('its own templates as baseline: nothing to refuse (no stack of one Region looks removed to the other)', () => {
    expect(() => environmentTemplates(drConfig(), { baseline })).not.toThrow();
  });

  test('a new replica VPC CIDR replaces the replica network and broker: refused in a protected environment', () => {
    const changed = drConfig((c) => (c.brokers[0].replica.network.cidr = '10.19.0.0/16'));
    expect(() => environmentTemplates(changed, { baseline })).toThrow(
      /MqPlatform-dr-us-west-2-(Network|Brokers)[\s\S]*replaced|will be (deleted and recreated|replaced)/,
    );
  });
});

describe('review: CRDR update behaviour and the deployed baseline', () => {
  test.each([
    ['DataReplicationPrimaryBrokerArn', 'arn:a', 'arn:b', true],
    ['DataReplicationMode', 'CRDR', 'NONE', true],
    ['DataReplicationMode', 'CRDR', undefined, true],
    ['DataReplicationMode', undefined, 'CRDR', false],
  ])('%s %s -> %s is guarded: %s', (property, before, after, guarded) => {
    const rule = lockOutRule('AWS::AmazonMQ::Broker', property as string, before, after);
    expect(rule !== undefined).toBe(guarded);
    if (rule) expect(rule.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/amazon-mq\//);
  });

  test('--deployed reads get-template bodies (JSON, or JSON as a string) and normalizes them like the snapshots', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deployed-'));
    const body = { Resources: { B: { Type: 'AWS::AmazonMQ::Broker', Properties: { X: 'a'.repeat(64) + '.zip' } } } };
    fs.writeFileSync(path.join(dir, 'S1.json'), JSON.stringify(body));
    fs.writeFileSync(path.join(dir, 'S2.json'), JSON.stringify(JSON.stringify(body)));
    const b = deployedBaseline(dir, 'prod');
    expect(Object.keys(b.templates)).toEqual(['S1', 'S2']);
    expect(b.templates.S2).toEqual({ Resources: { B: { Type: 'AWS::AmazonMQ::Broker', Properties: { X: '<asset-hash>.zip' } } } });
    expect(b).toMatchObject({ environment: 'prod', ref: `deployed (${dir})` });
    expect(() => deployedBaseline(path.join(dir, 'nope'), 'prod')).toThrow(/no such directory/);
  });
});
