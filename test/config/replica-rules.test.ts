import { CRDR_SOURCES, crdrVersionSupported } from '../../lib/amazonmq/crdr';
import { formatProblem } from '../../lib/config/rules/problem';
import { REPLICA_RULES } from '../../lib/config/rules/replica-rules';
import { validateConfig } from '../../lib/config/validate';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated

/** The minimal config moved to a CRDR Region, its ActiveMQ broker active/standby with a replica. */
function drConfig(): Mutable {
  const c: Mutable = structuredClone(minimalConfig());
  c.region = 'us-east-1';
  c.network.availabilityZones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  Object.assign(c.brokers[0], {
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    replica: { region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'], network: { cidr: '10.9.0.0/16' } },
  });
  delete c.brokers[0].rotation;
  return c;
}

function problemsOf(edit: (c: Mutable) => void): string[] {
  const c = drConfig();
  edit(c);
  return validateConfig(c).problems.map(formatProblem);
}

const replica = { region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'], network: { cidr: '10.9.0.0/16' } };

describe('brokers[].replica', () => {
  test('an active/standby ActiveMQ broker in a CRDR Region with a replica in another is valid', () => {
    expect(problemsOf(() => undefined)).toEqual([]);
  });

  test('the plan carries the replica with its defaults (primary clients, replication username)', () => {
    const plan = validateConfig(drConfig()).plan!;
    expect(plan.brokers[0].replica).toEqual({
      ...replica,
      clients: [{ name: 'apps', cidr: '10.1.0.0/16' }],
      replicationUsername: 'crdr-replication',
    });
    expect(plan.brokers[1].replica).toBeUndefined();
  });

  // Each rule of REPLICA_RULES, with the exact line synth prints.
  const cases: Array<[string, (c: Mutable) => void, string[]]> = [
    [
      'replica-engine: a replica on RabbitMQ is refused with the supported alternative',
      (c) => (c.brokers[1].replica = replica),
      [
        'brokers[1].replica: "us-west-2" is refused: Amazon MQ offers cross-Region data replication for ActiveMQ only, not for RABBITMQ; allowed: no replica on this broker — instead replicate between two RabbitMQ brokers with the federation plugin (federated exchanges or queues) or shovels, declared in the broker definitions (README "Many accounts and Regions")',
      ],
    ],
    [
      'replica-deployment-mode: a replica on a single-instance broker',
      (c) => Object.assign(c.brokers[0], { deploymentMode: 'SINGLE_INSTANCE', rotation: { acceptRebootDowntime: true } }),
      [
        'brokers[0].deploymentMode: "SINGLE_INSTANCE" cannot have a replica (brokers[0].replica): cross-Region data replication is only available for active/standby brokers with multi-availability zone deployment; allowed: ACTIVE_STANDBY_MULTI_AZ',
      ],
    ],
    [
      'replica-instance-type: mq.t3.micro',
      (c) => (c.brokers[0].instanceType = 'mq.t3.micro'),
      [
        'brokers[0].instanceType: "mq.t3.micro" cannot have a replica (brokers[0].replica): cross-Region data replication needs mq.m5.large or larger; allowed: mq.m5.large, mq.m5.xlarge, mq.m5.2xlarge, mq.m5.4xlarge (both brokers run this type)',
      ],
    ],
    [
      'replica-region: a replica Region without CRDR',
      (c) => Object.assign(c.brokers[0].replica, { region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'] }),
      [
        'brokers[0].replica.region: "eu-west-1" is not a Region with cross-Region data replication; allowed: us-east-2, us-west-1, us-west-2',
      ],
    ],
    [
      "replica-region: the primary's own Region",
      (c) => Object.assign(c.brokers[0].replica, { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] }),
      [
        'brokers[0].replica.region: "us-east-1" is the primary broker\'s own Region; allowed: another CRDR Region (us-east-2, us-west-1, us-west-2)',
      ],
    ],
    [
      'replica-region: a primary Region without CRDR',
      (c) => {
        c.region = 'eu-west-1';
        c.network.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
      },
      [
        'region: "eu-west-1" cannot hold a CRDR primary broker (brokers[0].replica): cross-Region data replication is not offered here; allowed: us-east-1, us-east-2, us-west-1, us-west-2',
      ],
    ],
    [
      'replica-availability-zones: one zone, of another Region',
      (c) => (c.brokers[0].replica.availabilityZones = ['us-east-1a']),
      [
        'brokers[0].replica.availabilityZones: ["us-east-1a"] names 1 zones; allowed: 2 or 3 (an active/standby replica needs two)',
        'brokers[0].replica.availabilityZones[0]: "us-east-1a" is not an availability zone of us-west-2; allowed: "us-west-2a", "us-west-2b", ...',
      ],
    ],
    [
      'replica-availability-zones: a zone twice',
      (c) => (c.brokers[0].replica.availabilityZones = ['us-west-2a', 'us-west-2a']),
      ['brokers[0].replica.availabilityZones: ["us-west-2a","us-west-2a"] lists an availability zone twice; allowed: each zone once'],
    ],
    [
      'replica-network: overlapping the primary VPC',
      (c) => (c.brokers[0].replica.network.cidr = '10.0.128.0/17'),
      [
        'brokers[0].replica.network.cidr: "10.0.128.0/17" overlaps the primary VPC 10.0.0.0/16; allowed: a block disjoint from it, so that both networks can later be peered or routed',
      ],
    ],
    [
      'replica-network: not a VPC CIDR',
      (c) => (c.brokers[0].replica.network.cidr = '10.9.0.0/8'),
      [
        'brokers[0].replica.network.cidr: "10.9.0.0/8" is not a VPC CIDR; allowed: an IPv4 block from /16 to /24, for example "10.31.0.0/16"',
      ],
    ],
    [
      'replica-network: a subnet mask that does not fit',
      (c) => (c.brokers[0].replica.network.subnetCidrMask = 16),
      ['brokers[0].replica.network.subnetCidrMask: 16 does not fit 2 subnets in 10.9.0.0/16; allowed: 18 to 28'],
    ],
    [
      'replica-clients: neither cidr nor security group, and the world',
      (c) => (c.brokers[0].replica.clients = [{ name: 'x' }, { name: 'y', cidr: '0.0.0.0/0' }]),
      [
        'brokers[0].replica.clients[0]: {} must name exactly one of cidr or securityGroupId',
        'brokers[0].replica.clients[1].cidr: "0.0.0.0/0" is not a named client range; allowed: an IPv4 CIDR with a prefix of /8 or longer (never 0.0.0.0/0)',
      ],
    ],
    [
      'replica-clients: a malformed security group id',
      (c) => (c.brokers[0].replica.clients = [{ name: 'x', securityGroupId: 'sg-1' }]),
      ['brokers[0].replica.clients[0].securityGroupId: "sg-1" is not a security group id; allowed: "sg-" and 8 or 17 hex digits'],
    ],
    [
      'replica-replication-user: an application user of the broker',
      (c) => (c.brokers[0].replica.replicationUsername = 'app_clone'),
      [
        'brokers[0].replica.replicationUsername: "app_clone" is already an application user of this broker; allowed: a username of its own, none of app, app_clone',
      ],
    ],
    [
      'replica-replication-user: not an ActiveMQ username',
      (c) => (c.brokers[0].replica.replicationUsername = 'r'),
      ['brokers[0].replica.replicationUsername: "r" is not an ActiveMQ username; allowed: 2 to 100 letters, digits, "-", ".", "_" and "~"'],
    ],
  ];
  test.each(cases)('%s', (_name, edit, expected) => {
    expect(problemsOf(edit).filter((line) => expected.includes(line) || /replica|region/.test(line))).toEqual(expected);
  });

  test('replica-engine-version: below 5.17.6 (only reachable with a version the engine-version rule also refuses)', () => {
    expect(problemsOf((c) => (c.brokers[0].engineVersion = '5.16'))).toContain(
      'brokers[0].engineVersion: "5.16" cannot have a replica (brokers[0].replica): cross-Region data replication needs ActiveMQ 5.17.6 or later; allowed: 5.17 or later (both brokers run this version)',
    );
    expect([
      crdrVersionSupported('5.17'),
      crdrVersionSupported('5.18'),
      crdrVersionSupported('5.19'),
      crdrVersionSupported('5.16'),
    ]).toEqual([true, true, true, false]);
  });

  test('every replica rule has an id and a documentation source', () => {
    for (const rule of REPLICA_RULES) {
      expect(rule.id).toMatch(/^replica-/);
      expect(rule.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
    expect(Object.values(CRDR_SOURCES).every((s) => s.startsWith('https://'))).toBe(true);
  });
});
