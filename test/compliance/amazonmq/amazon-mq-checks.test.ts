import { Stack } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AmazonMqChecks, type AmazonMqChecksProps } from '../../../lib/compliance/amazonmq/amazon-mq-checks';
import { plainApp } from '../../support/apps';

const compliantBroker: amazonmq.CfnBrokerProps = {
  brokerName: 'orders-prod',
  engineType: 'ACTIVEMQ',
  engineVersion: '5.19',
  deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
  hostInstanceType: 'mq.m5.large',
  publiclyAccessible: false,
  autoMinorVersionUpgrade: true,
  encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/example' },
  logs: { general: true, audit: true },
  maintenanceWindowStartTime: { dayOfWeek: 'SUNDAY', timeOfDay: '03:00', timeZone: 'UTC' },
  users: [
    {
      username: 'app',
      password: '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:111122223333:secret:x:SecretString:password::}}',
    },
  ],
};

/** Rule ids the pack reports for one broker (and anything else `extra` adds), in a prod or dev setting. */
function findings(
  edit: Partial<amazonmq.CfnBrokerProps>,
  props: AmazonMqChecksProps = { production: true, requiredTagKeys: ['owner'] },
  extra?: (s: Stack) => void,
) {
  const stack = new Stack(plainApp(), 'Test');
  new amazonmq.CfnBroker(stack, 'Broker', { tags: [{ key: 'owner', value: 'team' }], ...compliantBroker, ...edit });
  extra?.(stack);
  const report = new AmazonMqChecks(stack, props).validateScope(stack);
  return report.violations.map((v) => `${v.ruleName}:${v.severity}`).sort();
}

describe('AmazonMqChecks', () => {
  test('a compliant broker has no findings', () => {
    expect(findings({})).toEqual([]);
  });

  const cases: Array<[string, Partial<amazonmq.CfnBrokerProps>, string]> = [
    ['MQ.2 ActiveMQ without audit logs', { logs: { general: true, audit: false } }, 'AmazonMQ-MQ.2'],
    ['MQ.3 no automatic minor upgrades', { autoMinorVersionUpgrade: false }, 'AmazonMQ-MQ.3'],
    ['MQ.5 single-instance ActiveMQ in production', { deploymentMode: 'SINGLE_INSTANCE' }, 'AmazonMQ-MQ.5'],
    [
      'MQ.6 single-instance RabbitMQ in production',
      {
        engineType: 'RABBITMQ',
        engineVersion: '4.2',
        hostInstanceType: 'mq.m7g.large',
        deploymentMode: 'SINGLE_INSTANCE',
        logs: { general: true },
        authenticationStrategy: 'CONFIG_MANAGED', // not on passwords, so MQP.7 stays quiet
      },
      'AmazonMQ-MQ.6',
    ],
    ['MQP.1 public broker', { publiclyAccessible: true }, 'AmazonMQ-MQP.1'],
    ['MQP.2 AWS-owned key', { encryptionOptions: { useAwsOwnedKey: true } }, 'AmazonMQ-MQP.2'],
    ['MQP.3 literal password', { users: [{ username: 'app', password: 'not-a-real-password' }] }, 'AmazonMQ-MQP.3'],
    ['MQP.4 no general logs', { logs: { general: false, audit: true } }, 'AmazonMQ-MQP.4'],
    ['MQP.6 no maintenance window', { maintenanceWindowStartTime: undefined }, 'AmazonMQ-MQP.6'],
  ];

  test.each(cases)('%s is an error in production', (_name, edit, rule) => {
    expect(findings(edit)).toEqual([`${rule}:error`]);
  });

  test.each(cases.filter(([, , rule]) => !['AmazonMQ-MQ.5', 'AmazonMQ-MQ.6'].includes(rule)))(
    '%s is a warning elsewhere',
    (_name, edit, rule) => {
      expect(findings(edit, { production: false, requiredTagKeys: ['owner'] })).toEqual([`${rule}:warning`]);
    },
  );

  const rabbit: Partial<amazonmq.CfnBrokerProps> = {
    engineType: 'RABBITMQ',
    engineVersion: '4.2',
    hostInstanceType: 'mq.m7g.large',
    deploymentMode: 'CLUSTER_MULTI_AZ',
    logs: { general: true },
  };

  test('MQP.7 warns (never fails) when a production RabbitMQ broker authenticates with passwords', () => {
    expect(findings(rabbit)).toEqual(['AmazonMQ-MQP.7:warning']);
    expect(findings({ ...rabbit, authenticationStrategy: 'SIMPLE' })).toEqual(['AmazonMQ-MQP.7:warning']);
    expect(findings({ ...rabbit, authenticationStrategy: 'CONFIG_MANAGED', users: undefined })).toEqual([]);
    expect(findings(rabbit, { production: false, requiredTagKeys: ['owner'] })).toEqual([]);
  });

  test('in production a warning alone (MQP.7) does not fail synth; an error does', () => {
    const report = (edit: Partial<amazonmq.CfnBrokerProps>) => {
      const stack = new Stack(plainApp(), 'Test');
      new amazonmq.CfnBroker(stack, 'Broker', { tags: [{ key: 'owner', value: 'team' }], ...compliantBroker, ...edit });
      return new AmazonMqChecks(stack, { production: true, requiredTagKeys: ['owner'] }).validateScope(stack);
    };
    expect(report(rabbit).success).toBe(true);
    expect(report({ ...rabbit, autoMinorVersionUpgrade: false }).success).toBe(false);
  });

  test('MQP.3 does not apply to a token (or LDAP) broker without users: it has no broker password', () => {
    expect(findings({ ...rabbit, authenticationStrategy: 'CONFIG_MANAGED', users: [] })).toEqual([]);
    expect(findings({ ...rabbit, authenticationStrategy: 'CONFIG_MANAGED', users: [{ username: 'admin', password: 'literal' }] })).toEqual([
      'AmazonMQ-MQP.3:error',
    ]);
  });

  test('MQ.5 and MQ.6 do not apply outside production', () => {
    expect(findings({ deploymentMode: 'SINGLE_INSTANCE' }, { production: false })).toEqual([]);
  });

  test('MQ.4 wants the required tag keys, or at least one tag', () => {
    expect(findings({}, { production: true, requiredTagKeys: ['owner', 'cost-center'] })).toEqual(['AmazonMQ-MQ.4:error']);
    expect(findings({}, { production: true })).toEqual([]);
    expect(findings({ tags: [] }, { production: true })).toEqual(['AmazonMQ-MQ.4:error']);
  });

  test('MQP.5 flags a broker port open to the world, inline or as a separate rule', () => {
    const inline = findings({}, undefined, (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', {
        natGateways: 0,
        subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      new ec2.SecurityGroup(s, 'Open', { vpc, allowAllOutbound: false }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(61617));
    });
    expect(inline).toContain('AmazonMQ-MQP.5:error');
    const separate = findings({}, undefined, (s) => {
      new ec2.CfnSecurityGroupIngress(s, 'Rule', {
        groupId: 'sg-0123456789abcdef0',
        ipProtocol: 'tcp',
        fromPort: 5000,
        toPort: 6000,
        cidrIpv6: '::/0',
      });
    });
    expect(separate).toEqual(['AmazonMQ-MQP.5:error']);
    const otherPort = findings({}, undefined, (s) => {
      new ec2.CfnSecurityGroupIngress(s, 'Rule', {
        groupId: 'sg-0123456789abcdef0',
        ipProtocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        cidrIp: '10.0.0.0/8',
      });
    });
    expect(otherPort).toEqual([]);
  });
});
