import { ENGINE_VERSIONS, INSTANCE_TYPE_RULES } from '../../lib/amazonmq/catalog';
import { parseConfig } from '../../lib/config/load-config';
import { formatProblem } from '../../lib/config/rules/problem';
import { BROKER_RULES } from '../../lib/config/rules/broker-rules';
import { ENVIRONMENT_RULES, KNOWN_REGIONS } from '../../lib/config/rules/environment-rules';
import { MONITORING_BROKER_RULES, MONITORING_ENVIRONMENT_RULES } from '../../lib/config/rules/monitoring-rules';
import type { MqPlatformConfigInput } from '../../lib/config/schema';
import { ConfigValidationError, validateConfig } from '../../lib/config/validate';
import { minimalConfig, rawStageConfig, shippedStages } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated
const amq = (c: Mutable) => c.brokers[0];
const rmq = (c: Mutable) => c.brokers[1];

function problemsOf(edit: (c: Mutable) => void): string[] {
  const config: Mutable = structuredClone(minimalConfig());
  edit(config);
  return validateConfig(config).problems.map(formatProblem);
}

describe('valid configs', () => {
  test('RabbitMQ: a :30 start with daylight saving time (it rotates out of the window), no application users, explicit permissions', () => {
    expect(
      problemsOf((c) => {
        rmq(c).maintenanceWindow = { dayOfWeek: 'MONDAY', timeOfDay: '23:30', timeZone: 'America/Los_Angeles' };
        rmq(c).users = [];
        rmq(c).administrator = { username: 'admin', rotation: false };
      }),
    ).toEqual([]);
    expect(
      problemsOf(
        (c) =>
          (rmq(c).users = [
            { username: 'svc', tags: ['monitoring'], permissions: [{ vhost: 'orders', configure: '', write: '^orders\\.', read: '.*' }] },
          ]),
      ),
    ).toEqual([]);
  });

  test('ActiveMQ: 125 credentials (250 broker users) and a 94-character username', () => {
    expect(problemsOf((c) => (amq(c).users = Array.from({ length: 125 }, (_, i) => ({ username: `u${i}` }))))).toEqual([]);
    expect(problemsOf((c) => (amq(c).users[0].username = 'a'.repeat(94)))).toEqual([]);
  });

  test.each(shippedStages())('config/%s.json has no problems', (stage) => {
    expect(validateConfig(rawStageConfig(stage)).problems.map(formatProblem)).toEqual([]);
  });

  test('the minimal test config has no problems', () => {
    expect(problemsOf(() => undefined)).toEqual([]);
  });

  // Every instance type the catalog offers, in every version and mode it offers it for, is accepted.
  const offered = INSTANCE_TYPE_RULES.flatMap((r) =>
    r.instanceTypes.flatMap((t) => r.versions.flatMap((v) => r.modes.map((m) => [r.engine, v, m, t, r.storage[0]] as const))),
  );
  test.each(offered)('%s %s %s on %s (%s) is accepted', (engine, version, mode, instanceType, storageType) => {
    const lines = problemsOf((c) => {
      const b = engine === 'ACTIVEMQ' ? amq(c) : rmq(c);
      Object.assign(b, { engineVersion: version, deploymentMode: mode, instanceType, storageType });
    });
    expect(lines).toEqual([]);
  });

  test('secret readers: role ARNs with and without a path, in any partition, are accepted', () => {
    expect(
      problemsOf((c) => {
        amq(c).users[0].readers = [
          'arn:aws:iam::123456789012:role/orders-service',
          'arn:aws:iam::123456789012:role/apps/team-a/orders+svc@eu',
        ];
        rmq(c).users[0].readers = ['arn:aws-cn:iam::123456789012:role/events'];
      }),
    ).toEqual([]);
  });

  test('a security group client and an imported network are accepted', () => {
    expect(
      problemsOf((c) => {
        c.network = {
          mode: 'import',
          vpcId: 'vpc-0a1b2c3d4e5f67890',
          cidr: '10.0.0.0/16',
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          subnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'],
        };
        amq(c).clients = [{ name: 'svc', securityGroupId: 'sg-0123456789abcdef0', protocols: ['OPENWIRE'] }];
        // On the hour: with daylight saving time a :30 start leaves no rotation hour (rule rotation-window).
        amq(c).maintenanceWindow = { dayOfWeek: 'MONDAY', timeOfDay: '23:00', timeZone: 'America/Los_Angeles' };
      }),
    ).toEqual([]);
  });
});

/** One case per rule (and per branch of a rule): the exact line synth prints. */
const cases: Array<[string, (c: Mutable) => void, string]> = [
  // schema
  [
    'unknown top-level key',
    (c) => (c.stage = 'x'),
    'stage: "x" is not a known field; allowed: $schema, environment, region, account, protected, allowReplacement, unlock, tags, compliance, network, rotation, brokers, monitoring',
  ],
  [
    'unknown broker key',
    (c) => (amq(c).size = 1),
    'brokers[0].size: 1 is not a known field; allowed: name, engine, engineVersion, deploymentMode, instanceType, storageType, maintenanceWindow, logs, protocols, clients, administrator, authentication, users, rotation, tags, queues, deadLetterQueues, alarms, consumers, definitions, configuration, replica',
  ],
  [
    'unknown network key',
    (c) => (c.network.natGateways = 1),
    'network.natGateways: 1 is not a known field; allowed: mode, cidr, availabilityZones, subnetCidrMask, flowLogRetentionDays',
  ],
  ['missing field', (c) => delete amq(c).instanceType, 'brokers[0].instanceType: (missing) is required; allowed: a string'],
  ['wrong type', (c) => (c.protected = 'yes'), 'protected: "yes" is not a boolean'],
  ['unknown engine', (c) => (amq(c).engine = 'KAFKA'), 'brokers[0].engine: "KAFKA" is not accepted; allowed: ACTIVEMQ, RABBITMQ'],
  ['unknown network mode', (c) => (c.network.mode = 'peer'), 'network.mode: "peer" is not accepted; allowed: create, import'],
  [
    'unknown protocol',
    (c) => (amq(c).protocols = ['HTTP']),
    'brokers[0].protocols[0]: "HTTP" is not accepted; allowed: OPENWIRE, STOMP, AMQP, MQTT, WSS, CONSOLE',
  ],
  [
    'unknown day',
    (c) => (amq(c).maintenanceWindow = { dayOfWeek: 'SUN', timeOfDay: '03:00' }),
    'brokers[0].maintenanceWindow.dayOfWeek: "SUN" is not accepted; allowed: MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY',
  ],
  // environment rules
  [
    'environment name',
    (c) => (c.environment = 'Prod_1'),
    'environment: "Prod_1" is not an environment name; allowed: 1 to 20 lower-case letters, digits and "-", starting with a letter',
  ],
  ['region', (c) => (c.region = 'europe'), `region: "europe" is not an AWS region; allowed: ${KNOWN_REGIONS.join(', ')}`],
  [
    'misspelt region',
    (c) => ((c.region = 'eu-wset-1'), (c.network.availabilityZones = ['eu-wset-1a', 'eu-wset-1b', 'eu-wset-1c'])),
    `region: "eu-wset-1" is not an AWS region; allowed: ${KNOWN_REGIONS.join(', ')}`,
  ],
  ['account', (c) => (c.account = '1234'), 'account: "1234" is not an AWS account id; allowed: 12 digits'],
  [
    'vpc cidr',
    (c) => (c.network.cidr = '10.0.0.0/8'),
    'network.cidr: "10.0.0.0/8" is not a VPC CIDR; allowed: an IPv4 block from /16 to /28, for example "10.20.0.0/16"',
  ],
  [
    'availability zone of another region',
    (c) => (c.network.availabilityZones[2] = 'us-east-1a'),
    'network.availabilityZones[2]: "us-east-1a" is not an availability zone of eu-west-1; allowed: "eu-west-1a", "eu-west-1b", ...',
  ],
  [
    'availability zone twice',
    (c) => (c.network.availabilityZones[2] = 'eu-west-1a'),
    'network.availabilityZones: ["eu-west-1a","eu-west-1b","eu-west-1a"] lists an availability zone twice; allowed: each zone once',
  ],
  [
    'no availability zones',
    (c) => ((c.network.availabilityZones = []), (c.brokers = [amq(c)])),
    'network.availabilityZones: [] has the wrong number of zones; allowed: 1 to 6 (2 or 3 for multi-AZ brokers)',
  ],
  [
    'subnet mask',
    (c) => (c.network.subnetCidrMask = 15),
    'network.subnetCidrMask: 15 does not fit 3 subnets in 10.0.0.0/16; allowed: 18 to 28',
  ],
  [
    'flow log retention',
    (c) => (c.network.flowLogRetentionDays = 100),
    'network.flowLogRetentionDays: 100 is not a CloudWatch Logs retention of a year or more (Control Tower CT.CLOUDWATCH.PR.2); allowed: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
  ],
  [
    'flow log retention under a year',
    (c) => (c.network.flowLogRetentionDays = 90),
    'network.flowLogRetentionDays: 90 is not a CloudWatch Logs retention of a year or more (Control Tower CT.CLOUDWATCH.PR.2); allowed: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
  ],
  [
    'imported vpc id',
    (c) =>
      (c.network = {
        mode: 'import',
        vpcId: 'vpc-1',
        cidr: '10.0.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        subnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'],
      }),
    'network.vpcId: "vpc-1" is not a VPC id; allowed: "vpc-" and 8 or 17 hex digits',
  ],
  [
    'imported vpc cidr',
    (c) =>
      (c.network = {
        mode: 'import',
        vpcId: 'vpc-0a1b2c3d',
        cidr: '10.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        subnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'],
      }),
    'network.cidr: "10.0.0/16" is not an IPv4 CIDR; allowed: "a.b.c.d/n"',
  ],
  [
    'imported subnet id',
    (c) =>
      (c.network = {
        mode: 'import',
        vpcId: 'vpc-0a1b2c3d',
        cidr: '10.0.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        subnetIds: ['subnet-0a1b2c3d', 'sn-2'],
      }),
    'network.subnetIds[1]: "sn-2" is not a subnet id; allowed: "subnet-" and 8 or 17 hex digits',
  ],
  [
    'imported subnets per zone',
    (c) =>
      (c.network = {
        mode: 'import',
        vpcId: 'vpc-0a1b2c3d',
        cidr: '10.0.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        subnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d', 'subnet-2a2b3c4d'],
      }),
    'network.subnetIds: ["subnet-0a1b2c3d","subnet-1a2b3c4d","subnet-2a2b3c4d"] must list one subnet per availability zone, in the same order (2 zones given)',
  ],
  [
    'required tag key',
    (c) => (c.compliance = { requiredTagKeys: ['aws:owner'] }),
    'compliance.requiredTagKeys[0]: "aws:owner" is not a tag key; allowed: 1 to 127 letters, digits, spaces and _ . : / = + - @, not starting with "aws:" or "mq-platform:"',
  ],
  [
    'required tag key twice',
    (c) => (c.compliance = { requiredTagKeys: ['owner', 'owner'] }),
    'compliance.requiredTagKeys: ["owner","owner"] lists a key twice; allowed: each key once',
  ],
  ['no brokers', (c) => (c.brokers = []), 'brokers: [] is empty; allowed: 1 or more brokers'],
  [
    'allowReplacement with broker and logicalId',
    (c) => ((c.protected = true), (c.allowReplacement = [{ broker: 'amq', logicalId: 'amqKey1234', reason: 'moving to EBS storage' }])),
    'allowReplacement[0]: {"broker":"amq","logicalId":"amqKey1234"} must name exactly one of broker or logicalId',
  ],
  [
    'allowReplacement with neither',
    (c) => ((c.protected = true), (c.allowReplacement = [{ reason: 'moving to EBS storage' }])),
    'allowReplacement[0]: {} must name exactly one of broker or logicalId',
  ],
  [
    'allowReplacement broker name',
    (c) => ((c.protected = true), (c.allowReplacement = [{ broker: 'amq test', reason: 'moving to EBS storage' }])),
    'allowReplacement[0].broker: "amq test" is not a broker name; allowed: the name of a broker as in brokers[].name (it may be one this change removes)',
  ],
  [
    'allowReplacement logical id',
    (c) => ((c.protected = true), (c.allowReplacement = [{ logicalId: 'Network/Vpc', reason: 'new address plan' }])),
    'allowReplacement[0].logicalId: "Network/Vpc" is not a CloudFormation logical id; allowed: letters and digits, as `npm run review` prints it',
  ],
  [
    'allowReplacement without a reason',
    (c) => ((c.protected = true), (c.allowReplacement = [{ broker: 'amq', reason: 'ok' }])),
    'allowReplacement[0].reason: "ok" does not say why; allowed: a reason of at least 10 characters, shown in the review',
  ],
  [
    'allowReplacement twice',
    (c) => (
      (c.protected = true),
      (c.allowReplacement = [
        { broker: 'amq', reason: 'moving to EBS storage' },
        { broker: 'amq', reason: 'moving to EBS storage' },
      ])
    ),
    'allowReplacement[1]: "amq" allows the same resource and property twice; allowed: one entry per resource and property',
  ],
  [
    'allowReplacement property',
    (c) => ((c.protected = true), (c.allowReplacement = [{ broker: 'amq', property: 'deploymentMode', reason: 'moving to EBS storage' }])),
    'allowReplacement[0].property: "deploymentMode" is not a CloudFormation property name; allowed: a property as `npm run review` prints it (for example "DeploymentMode"), or "removal"',
  ],
  [
    'allowReplacement when not protected',
    (c) => (c.allowReplacement = [{ broker: 'amq', reason: 'moving to EBS storage' }]),
    'allowReplacement: ["amq"] has no effect: the environment is not protected; allowed: remove it, or set "protected": true',
  ],
  [
    'acknowledged rule no config field causes',
    (c) => (c.compliance = { acknowledge: [{ rule: 'AmazonMQ-MQP.1', path: 'brokers[0]', reason: 'reviewed with security' }] }),
    'compliance.acknowledge[0].rule: "AmazonMQ-MQP.1" is not a finding that a config field causes; allowed: AmazonMQ-MQ.2, AmazonMQ-MQ.4, AmazonMQ-MQ.5, AmazonMQ-MQ.6, AmazonMQ-MQP.4, AmazonMQ-MQP.7 (the pack\'s other rules check what the platform always does)',
  ],
  [
    'acknowledged path that does not cause the rule',
    (c) =>
      (c.compliance = { acknowledge: [{ rule: 'AmazonMQ-MQ.6', path: 'brokers[0].deploymentMode', reason: 'reviewed with security' }] }),
    'compliance.acknowledge[0].path: "brokers[0].deploymentMode" is not a config field that causes AmazonMQ-MQ.6 here; allowed: brokers[1].deploymentMode',
  ],
  [
    'acknowledgement without a reason',
    (c) => (c.compliance = { acknowledge: [{ rule: 'AmazonMQ-MQ.4', path: 'tags', reason: 'n/a' }] }),
    'compliance.acknowledge[0].reason: "n/a" does not say why; allowed: a reason of at least 10 characters, shown in the compliance report',
  ],
  [
    'acknowledgement twice',
    (c) =>
      (c.compliance = {
        acknowledge: [
          { rule: 'AmazonMQ-MQ.4', path: 'tags', reason: 'tags come from the account' },
          { rule: 'AmazonMQ-MQ.4', path: 'tags', reason: 'tags come from the account' },
        ],
      }),
    'compliance.acknowledge[1]: "AmazonMQ-MQ.4 tags" acknowledges the same finding twice; allowed: one entry per rule and path',
  ],
  [
    'unlock without a reason',
    (c) => (c.unlock = [{ change: 'protection', reason: 'why not' }]),
    'unlock[0].reason: "why not" does not say why; allowed: a reason of at least 10 characters, shown in the review',
  ],
  [
    'unlock protection while protected',
    (c) => ((c.protected = true), (c.unlock = [{ change: 'protection', reason: 'retiring the environment' }])),
    'unlock[0].change: "protection" has no effect: "protected" is true; allowed: remove it, or set "protected": false',
  ],
  [
    'unlock twice',
    (c) =>
      (c.unlock = [
        { change: 'snapshots', reason: 'retiring the environment' },
        { change: 'snapshots', reason: 'retiring the environment' },
      ]),
    'unlock[1].change: "snapshots" is unlocked twice; allowed: each change once',
  ],
  [
    'duplicate broker name',
    (c) => (rmq(c).name = 'amq'),
    'brokers[1].name: "amq" is a duplicate; allowed: each broker name once per environment',
  ],
  // broker rules
  [
    'broker name characters',
    (c) => (amq(c).name = 'my.broker'),
    'brokers[0].name: "my.broker" gives the Amazon MQ name "my.broker-test", which is not accepted; allowed: 1 to 50 letters, digits, "-" and "_" in all (the name plus "-test")',
  ],
  [
    'broker name length',
    (c) => (amq(c).name = 'x'.repeat(46)),
    `brokers[0].name: "${'x'.repeat(46)}" gives the Amazon MQ name "${'x'.repeat(46)}-test", which is not accepted; allowed: 1 to 50 letters, digits, "-" and "_" in all (the name plus "-test")`,
  ],
  [
    'patch version',
    (c) => (rmq(c).engineVersion = '3.13.7'),
    'brokers[1].engineVersion: "3.13.7" is not accepted for new RABBITMQ brokers; allowed: 3.13, 4.2, 4.3 (major.minor only; older versions are at or past end of support)',
  ],
  [
    'end-of-support version',
    (c) => (amq(c).engineVersion = '5.17'),
    'brokers[0].engineVersion: "5.17" is not accepted for new ACTIVEMQ brokers; allowed: 5.18, 5.19 (major.minor only; older versions are at or past end of support)',
  ],
  [
    'mode of the other engine',
    (c) => (amq(c).deploymentMode = 'CLUSTER_MULTI_AZ'),
    'brokers[0].deploymentMode: "CLUSTER_MULTI_AZ" is not a ACTIVEMQ deployment mode; allowed: SINGLE_INSTANCE, ACTIVE_STANDBY_MULTI_AZ',
  ],
  [
    'm7g on ActiveMQ',
    (c) => (amq(c).instanceType = 'mq.m7g.large'),
    'brokers[0].instanceType: "mq.m7g.large" is not available for ACTIVEMQ 5.19 SINGLE_INSTANCE; allowed: mq.t3.micro, mq.m5.large, mq.m5.xlarge, mq.m5.2xlarge, mq.m5.4xlarge',
  ],
  [
    'retired t2.micro',
    (c) => (amq(c).instanceType = 'mq.t2.micro'),
    'brokers[0].instanceType: "mq.t2.micro" is not available for ACTIVEMQ 5.19 SINGLE_INSTANCE; allowed: mq.t3.micro, mq.m5.large, mq.m5.xlarge, mq.m5.2xlarge, mq.m5.4xlarge',
  ],
  [
    'm5 on RabbitMQ 4',
    (c) => (rmq(c).instanceType = 'mq.m5.large'),
    'brokers[1].instanceType: "mq.m5.large" is not available for RABBITMQ 4.2 CLUSTER_MULTI_AZ; allowed: mq.m7g.medium, mq.m7g.large, mq.m7g.xlarge, mq.m7g.2xlarge, mq.m7g.4xlarge, mq.m7g.8xlarge, mq.m7g.12xlarge, mq.m7g.16xlarge',
  ],
  [
    'deprecated RabbitMQ t3.micro',
    (c) => Object.assign(rmq(c), { engineVersion: '3.13', deploymentMode: 'SINGLE_INSTANCE', instanceType: 'mq.t3.micro' }),
    'brokers[1].instanceType: "mq.t3.micro" is not available for RABBITMQ 3.13 SINGLE_INSTANCE; allowed: mq.m5.large, mq.m5.xlarge, mq.m5.2xlarge, mq.m5.4xlarge, mq.m7g.medium, mq.m7g.large, mq.m7g.xlarge, mq.m7g.2xlarge, mq.m7g.4xlarge, mq.m7g.8xlarge, mq.m7g.12xlarge, mq.m7g.16xlarge',
  ],
  [
    'EBS on RabbitMQ only',
    (c) => (rmq(c).storageType = 'EFS'),
    'brokers[1].storageType: "EFS" is not supported by RABBITMQ CLUSTER_MULTI_AZ on mq.m7g.large; allowed: EBS',
  ],
  [
    'EBS on active/standby',
    (c) => Object.assign(amq(c), { deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ', storageType: 'EBS' }),
    'brokers[0].storageType: "EBS" is not supported by ACTIVEMQ ACTIVE_STANDBY_MULTI_AZ on mq.m5.large; allowed: EFS',
  ],
  [
    'EBS on t3.micro',
    (c) => Object.assign(amq(c), { instanceType: 'mq.t3.micro', storageType: 'EBS' }),
    'brokers[0].storageType: "EBS" is not supported by ACTIVEMQ SINGLE_INSTANCE on mq.t3.micro; allowed: EFS',
  ],
  [
    'active/standby with one subnet',
    (c) => ((c.network.availabilityZones = ['eu-west-1a']), (amq(c).deploymentMode = 'ACTIVE_STANDBY_MULTI_AZ'), (c.brokers = [amq(c)])),
    'brokers[0].deploymentMode: "ACTIVE_STANDBY_MULTI_AZ" needs 2 private subnets in different availability zones; the network has 1',
  ],
  [
    'no ActiveMQ users',
    (c) => (amq(c).users = []),
    'brokers[0].users: [] has 0 users; ACTIVEMQ brokers take 1 to 125 (each is an alternating pair of the 250 broker users a broker takes)',
  ],
  [
    '126 ActiveMQ credentials (252 broker users)',
    (c) => (amq(c).users = Array.from({ length: 126 }, (_, i) => ({ username: `u${i}` }))),
    `brokers[0].users: ${JSON.stringify(Array.from({ length: 126 }, (_, i) => `u${i}`))} has 126 users; ACTIVEMQ brokers take 1 to 125 (each is an alternating pair of the 250 broker users a broker takes)`,
  ],
  // alternating pairs and the RabbitMQ administrator (user-rules.ts)
  [
    'RabbitMQ without administrator',
    (c) => delete rmq(c).administrator,
    'brokers[1].administrator: (missing) is required for RabbitMQ brokers: the one user Amazon MQ creates with the broker, reserved for the platform (for a deployed broker, its existing user); allowed: { "username": "..." }',
  ],
  [
    'administrator on ActiveMQ',
    (c) => (amq(c).administrator = { username: 'admin' }),
    'brokers[0].administrator: {"username":"admin"} does not apply to ActiveMQ brokers (every ActiveMQ user is an application credential in users); allowed: remove the field',
  ],
  [
    'administrator username',
    (c) => (rmq(c).administrator.username = 'a~b'),
    'brokers[1].administrator.username: "a~b" is not a valid RABBITMQ username; allowed: 2 to 100 letters, digits, "-", "." and "_"',
  ],
  [
    'administrator guest',
    (c) => (rmq(c).administrator.username = 'guest'),
    'brokers[1].administrator.username: "guest" is reserved by RabbitMQ; allowed: any other username',
  ],
  [
    'username with the pair suffix',
    (c) => (amq(c).users[0].username = 'app_clone'),
    'brokers[0].users[0].username: "app_clone" ends with "_clone", the suffix of every credential\'s second user; allowed: a username without it',
  ],
  [
    'username too long for its pair',
    (c) => (amq(c).users[0].username = 'a'.repeat(95)),
    `brokers[0].users[0].username: "${'a'.repeat(95)}" is 95 characters, too long for its pair user "${'a'.repeat(95)}_clone"; allowed: 2 to 94 characters`,
  ],
  [
    'application user is the administrator',
    (c) => (rmq(c).users[0].username = 'admin'),
    'brokers[1].users[0].username: "admin" is the administrator or its pair user is; allowed: a username other than "admin" (the administrator is reserved for the platform)',
  ],
  [
    'tags on ActiveMQ',
    (c) => (amq(c).users[0].tags = ['management']),
    'brokers[0].users[0].tags: ["management"] does not apply to ActiveMQ users (use groups); allowed: remove the field',
  ],
  [
    'permissions on ActiveMQ',
    (c) => (amq(c).users[0].permissions = [{ vhost: '/' }]),
    'brokers[0].users[0].permissions: [{"vhost":"/"}] does not apply to ActiveMQ users (authorization is by groups); allowed: remove the field',
  ],
  [
    'empty vhost',
    (c) => (rmq(c).users[0].permissions = [{ vhost: '' }]),
    'brokers[1].users[0].permissions[0].vhost: "" is empty; allowed: a virtual host name such as "/"',
  ],
  [
    'vhost twice',
    (c) => (rmq(c).users[0].permissions = [{ vhost: '/' }, { vhost: '/', read: '.*' }]),
    'brokers[1].users[0].permissions[1].vhost: "/" is listed twice; allowed: one entry per virtual host',
  ],
  [
    'administrator tag on an application user',
    (c) => (rmq(c).users[0].tags = ['administrator']),
    'brokers[1].users[0].tags[0]: "administrator" is the administrator\'s tag, reserved for the platform; allowed: management, policymaker, monitoring or a tag of your own',
  ],
  [
    'short username',
    (c) => (amq(c).users[0].username = 'a'),
    'brokers[0].users[0].username: "a" is not a valid ACTIVEMQ username; allowed: 2 to 100 letters, digits, "-", ".", "_" and "~"',
  ],
  [
    'tilde in a RabbitMQ username',
    (c) => (rmq(c).users[0].username = 'app~1'),
    'brokers[1].users[0].username: "app~1" is not a valid RABBITMQ username; allowed: 2 to 100 letters, digits, "-", "." and "_"',
  ],
  [
    'RabbitMQ guest',
    (c) => (rmq(c).users[0].username = 'guest'),
    'brokers[1].users[0].username: "guest" is reserved by RabbitMQ; allowed: any other username',
  ],
  [
    'duplicate username',
    (c) => amq(c).users.push({ username: 'app' }),
    'brokers[0].users[1].username: "app" is a duplicate; allowed: each username once',
  ],
  [
    'reader that is not a role',
    (c) => (amq(c).users[0].readers = ['arn:aws:iam::123456789012:user/alice']),
    'brokers[0].users[0].readers[0]: "arn:aws:iam::123456789012:user/alice" is not an IAM role ARN; allowed: arn:aws:iam::<12-digit account>:role/<optional path/><name of 1 to 64 letters, digits and +=,.@_->, no wildcards',
  ],
  [
    'reader with a wildcard',
    (c) => (rmq(c).users[0].readers = ['arn:aws:iam::123456789012:role/orders-*']),
    'brokers[1].users[0].readers[0]: "arn:aws:iam::123456789012:role/orders-*" is not an IAM role ARN; allowed: arn:aws:iam::<12-digit account>:role/<optional path/><name of 1 to 64 letters, digits and +=,.@_->, no wildcards',
  ],
  [
    'reader twice',
    (c) => (amq(c).users[0].readers = ['arn:aws:iam::123456789012:role/apps/orders', 'arn:aws:iam::123456789012:role/apps/orders']),
    'brokers[0].users[0].readers[1]: "arn:aws:iam::123456789012:role/apps/orders" is listed twice; allowed: each role once',
  ],
  [
    'too many readers',
    (c) => (amq(c).users[0].readers = Array.from({ length: 200 }, (_, i) => `arn:aws:iam::123456789012:role/application-${i}`)),
    'brokers[0].users[0].readers: "200 readers" make the secret\'s resource policy about 20880 characters; allowed: at most 20480 (Secrets Manager PutResourcePolicy), so name fewer roles',
  ],
  [
    'console access on RabbitMQ',
    (c) => (rmq(c).users[0].consoleAccess = true),
    'brokers[1].users[0].consoleAccess: true does not apply to RabbitMQ users; allowed: remove the field',
  ],
  [
    'groups on RabbitMQ',
    (c) => (rmq(c).users[0].groups = ['ops']),
    'brokers[1].users[0].groups: ["ops"] does not apply to RabbitMQ users; allowed: remove the field',
  ],
  [
    'group name',
    (c) => (amq(c).users[0].groups = ['a']),
    'brokers[0].users[0].groups[0]: "a" is not a valid group name; allowed: 2 to 100 letters, digits, "-", ".", "_" and "~"',
  ],
  [
    'too many groups',
    (c) => (amq(c).users[0].groups = Array.from({ length: 21 }, (_, i) => `g${i}`)),
    `brokers[0].users[0].groups: ${JSON.stringify(Array.from({ length: 21 }, (_, i) => `g${i}`))} has 21 groups; allowed: at most 20`,
  ],
  [
    'RabbitMQ audit logs',
    (c) => (rmq(c).logs = { audit: true }),
    'brokers[1].logs.audit: true does not apply to RabbitMQ brokers (Amazon MQ has audit logs for ActiveMQ only); allowed: false, or remove the field',
  ],
  [
    'empty broker name',
    (c) => (amq(c).name = ''),
    'brokers[0].name: "" is empty; allowed: 1 to 45 letters, digits, "-" and "_" (the Amazon MQ name is the name plus "-test")',
  ],
  [
    'broker names that differ only in "-" and "_"',
    (c) => ((amq(c).name = 'a_b'), (rmq(c).name = 'a-b')),
    'brokers[1].name: "a-b" gives the same stack output ids ("ABBrokerId") or alarms stack name as brokers[0].name "a_b"; allowed: broker names that differ in more than upper/lower case, "-" and "_"',
  ],
  [
    'broker names that differ only in case',
    (c) => ((amq(c).name = 'orders'), (rmq(c).name = 'Orders')),
    'brokers[1].name: "Orders" gives the same stack output ids ("OrdersBrokerId") or alarms stack name as brokers[0].name "orders"; allowed: broker names that differ in more than upper/lower case, "-" and "_"',
  ],
  [
    'ActiveMQ username that no secret name takes',
    (c) => (amq(c).users[0].username = 'app~1'),
    'brokers[0].users[0].username: "app~1" is a valid ACTIVEMQ username but cannot be part of its Secrets Manager secret name "mq-platform/test/amq/app~1"; allowed: 2 to 100 letters, digits, "-", "." and "_" (Secrets Manager names take no "~")',
  ],
  [
    'maintenance time',
    (c) => (amq(c).maintenanceWindow = { dayOfWeek: 'SUNDAY', timeOfDay: '3pm' }),
    'brokers[0].maintenanceWindow.timeOfDay: "3pm" is not a 24-hour time; allowed: "HH:MM" from "00:00" to "23:59"',
  ],
  [
    'maintenance hour 24',
    (c) => (amq(c).maintenanceWindow = { dayOfWeek: 'SUNDAY', timeOfDay: '24:00' }),
    'brokers[0].maintenanceWindow.timeOfDay: "24:00" is not a 24-hour time; allowed: "HH:MM" from "00:00" to "23:59"',
  ],
  [
    'maintenance time zone',
    (c) => (amq(c).maintenanceWindow = { dayOfWeek: 'SUNDAY', timeOfDay: '03:00', timeZone: 'CET!' }),
    'brokers[0].maintenanceWindow.timeZone: "CET!" is not a time zone; allowed: "UTC", a UTC offset such as "UTC+02:00", or an IANA name such as "Europe/Berlin"',
  ],
  [
    'unknown rotation frequency',
    (c) => (c.rotation = { frequency: 'DAILY' }),
    'rotation.frequency: "DAILY" is not accepted; allowed: WEEKLY, MONTHLY, QUARTERLY',
  ],
  ['unknown rotation key', (c) => (c.rotation = { days: 30 }), 'rotation.days: 30 is not a known field; allowed: frequency'],
  [
    'single-instance ActiveMQ without reboot opt-in',
    (c) => delete amq(c).rotation,
    'brokers[0].rotation.acceptRebootDowntime: (missing) must be true for a single-instance ActiveMQ broker: each credential rotation reboots it (minutes of downtime) in its maintenance window; allowed: true, or deploymentMode ACTIVE_STANDBY_MULTI_AZ (see docs/rotation.md)',
  ],
  [
    'single-instance ActiveMQ refusing the reboot',
    (c) => (amq(c).rotation = { acceptRebootDowntime: false }),
    'brokers[0].rotation.acceptRebootDowntime: false must be true for a single-instance ActiveMQ broker: each credential rotation reboots it (minutes of downtime) in its maintenance window; allowed: true, or deploymentMode ACTIVE_STANDBY_MULTI_AZ (see docs/rotation.md)',
  ],
  [
    'reboot opt-in on RabbitMQ',
    (c) => (rmq(c).rotation = { acceptRebootDowntime: true }),
    'brokers[1].rotation.acceptRebootDowntime: true does not apply to RabbitMQ brokers (their rotation never reboots them); allowed: remove the field',
  ],
  [
    'maintenance window without a whole rotation hour',
    (c) => (amq(c).maintenanceWindow = { dayOfWeek: 'MONDAY', timeOfDay: '23:30', timeZone: 'America/Los_Angeles' }),
    'brokers[0].maintenanceWindow.timeOfDay: "23:30" leaves no whole UTC hour inside the two-hour maintenance window in both winter and summer time of America/Los_Angeles, so credentials could not rotate in it; allowed: a time on the hour, such as "23:00"',
  ],
  [
    'time zone unknown to the database',
    (c) => (rmq(c).maintenanceWindow = { dayOfWeek: 'SUNDAY', timeOfDay: '03:00', timeZone: 'Europe/Atlantis' }),
    'brokers[1].maintenanceWindow.timeZone: "Europe/Atlantis" is not in the time zone database; allowed: "UTC", a UTC offset such as "UTC+02:00", or an IANA name such as "Europe/Berlin"',
  ],
  [
    'protocol of the other engine',
    (c) => (rmq(c).protocols = ['AMQP', 'MQTT']),
    'brokers[1].protocols[1]: "MQTT" is not a RABBITMQ protocol; allowed: AMQP, CONSOLE',
  ],
  [
    'protocol twice',
    (c) => (amq(c).protocols = ['STOMP', 'STOMP']),
    'brokers[0].protocols: ["STOMP","STOMP"] lists a protocol twice; allowed: each protocol once',
  ],
  [
    'no protocols',
    (c) => (amq(c).protocols = []),
    'brokers[0].protocols: [] is empty; allowed: at least one of OPENWIRE, STOMP, AMQP, MQTT, WSS, CONSOLE',
  ],
  [
    'client protocol not enabled',
    (c) => (amq(c).clients[0].protocols = ['MQTT']),
    'brokers[0].clients[0].protocols[0]: "MQTT" is not enabled on this broker; allowed: OPENWIRE, STOMP, AMQP (or add it to brokers[0].protocols)',
  ],
  [
    'world ingress IPv4',
    (c) => (amq(c).clients[0].cidr = '0.0.0.0/0'),
    'brokers[0].clients[0].cidr: "0.0.0.0/0" opens the broker to the world; allowed: the CIDR of a named client network (never 0.0.0.0/0 or ::/0)',
  ],
  [
    'world ingress IPv6',
    (c) => (amq(c).clients[0].cidr = '::/0'),
    'brokers[0].clients[0].cidr: "::/0" opens the broker to the world; allowed: the CIDR of a named client network (never 0.0.0.0/0 or ::/0)',
  ],
  [
    'huge range',
    (c) => (amq(c).clients[0].cidr = '0.0.0.0/1'),
    'brokers[0].clients[0].cidr: "0.0.0.0/1" opens the broker to the world or a large part of it; allowed: a named client range with a prefix of /8 or longer (never 0.0.0.0/0)',
  ],
  [
    'bad cidr',
    (c) => (amq(c).clients[0].cidr = '10.1.0.0/33'),
    'brokers[0].clients[0].cidr: "10.1.0.0/33" is not an IPv4 CIDR; allowed: "a.b.c.d/n", for example "10.20.0.0/16"',
  ],
  [
    'client with both sources',
    (c) => (amq(c).clients[0].securityGroupId = 'sg-0123456789abcdef0'),
    'brokers[0].clients[0]: {"cidr":"10.1.0.0/16","securityGroupId":"sg-0123456789abcdef0"} must name exactly one of cidr or securityGroupId',
  ],
  [
    'client with no source',
    (c) => delete amq(c).clients[0].cidr,
    'brokers[0].clients[0]: {} must name exactly one of cidr or securityGroupId',
  ],
  [
    'security group id',
    (c) => (amq(c).clients[0] = { name: 'svc', securityGroupId: 'sg-xyz' }),
    'brokers[0].clients[0].securityGroupId: "sg-xyz" is not a security group id; allowed: "sg-" and 8 or 17 hex digits',
  ],
  [
    'client name',
    (c) => (amq(c).clients[0].name = ''),
    'brokers[0].clients[0].name: "" is not a client name; allowed: 1 to 64 letters, digits, spaces, ".", "_" and "-"',
  ],
  [
    'duplicate client name',
    (c) => amq(c).clients.push({ name: 'apps', cidr: '10.2.0.0/16' }),
    'brokers[0].clients[1].name: "apps" is a duplicate; allowed: each client name once per broker',
  ],
  [
    'too many ingress rules',
    (c) => (amq(c).clients = Array.from({ length: 21 }, (_, i) => ({ name: `c${i}`, cidr: `10.${i}.0.0/16` }))),
    'brokers[0].clients: "21 clients" need 63 inbound rules; allowed: at most 60 per security group (fewer clients or protocols per client)',
  ],
  [
    "too many tags with the platform's own",
    (c) => ((c.tags = { team: 'a' }), (amq(c).tags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`t${i}`, 'v'])))),
    'brokers[0].tags: "51 tags" is too many with the environment\'s tags and the platform\'s own (mq-platform:environment, mq-platform:broker, mq-platform:username, mq-platform:secret-kind); allowed: at most 50 per resource',
  ],
  [
    'aws: tag',
    (c) => (amq(c).tags = { 'AWS:owner': 'me' }),
    'brokers[0].tags.AWS:owner: "AWS:owner" starts with "aws:", which is reserved for AWS; allowed: any other key',
  ],
  [
    'platform tag key',
    (c) => (amq(c).tags = { 'mq-platform:broker': 'x' }),
    'brokers[0].tags.mq-platform:broker: "mq-platform:broker" starts with "mq-platform:", which is reserved for the platform\'s own tags; allowed: any other key',
  ],
  [
    'tag key character',
    (c) => (amq(c).tags = { 'cost#center': 'x' }),
    'brokers[0].tags.cost#center: "cost#center" is not a tag key; allowed: 1 to 127 letters, digits, spaces and _ . : / = + - @',
  ],
  [
    '128-character tag key (EC2 takes 127)',
    (c) => (amq(c).tags = { ['k'.repeat(128)]: 'v' }),
    `brokers[0].tags.${'k'.repeat(128)}: "${'k'.repeat(128)}" is 128 characters long; allowed: at most 127 (the limit of EC2 security groups and VPCs, which receive it)`,
  ],
  [
    'tag value character',
    (c) => (amq(c).tags = { owner: 'a&b' }),
    'brokers[0].tags.owner: "a&b" is not a tag value; allowed: letters, digits, spaces and _ . : / = + - @',
  ],
  [
    '256-character tag value (EC2 takes 255)',
    (c) => (amq(c).tags = { owner: 'x'.repeat(256) }),
    `brokers[0].tags.owner: "${'x'.repeat(256)}" is 256 characters long; allowed: at most 255 (the limit of EC2 security groups and VPCs, which receive it)`,
  ],
  [
    'environment tag key',
    (c) => (c.tags = { 'aws:team': 'x' }),
    'tags.aws:team: "aws:team" starts with "aws:", which is reserved for AWS; allowed: any other key',
  ],
  [
    'environment tag value',
    (c) => (c.tags = { team: 'x'.repeat(256) }),
    `tags.team: "${'x'.repeat(256)}" is 256 characters long; allowed: at most 255 (the limit of EC2 security groups and VPCs, which receive it)`,
  ],
  [
    'too many environment tags',
    (c) => (c.tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, 'v']))),
    'tags: "51 tags" is too many with the platform\'s own (mq-platform:environment, mq-platform:broker, mq-platform:username, mq-platform:secret-kind on each secret); allowed: at most 50 per resource',
  ],
  // monitoring rules
  [
    'percent above 100',
    (c) => (c.monitoring = { alarms: { cpuPercent: 120 } }),
    'monitoring.alarms.cpuPercent: 120 is not a percentage; allowed: more than 0, at most 100',
  ],
  [
    'negative queue depth',
    (c) => (c.monitoring = { alarms: { queueDepth: -1 } }),
    'monitoring.alarms.queueDepth: -1 is negative; allowed: 0 (alarm on any message) or more',
  ],
  [
    'disk factor below 1',
    (c) => (c.monitoring = { alarms: { diskFreeLimitFactor: 0.5 } }),
    'monitoring.alarms.diskFreeLimitFactor: 0.5 would not warn before RabbitMQ blocks publishers; allowed: 1 to 100 (times the free-disk limit)',
  ],
  [
    'alarm period',
    (c) => (c.monitoring = { alarms: { periodMinutes: 7 } }),
    'monitoring.alarms.periodMinutes: 7 is not an alarm period; allowed: 1, 5, 10, 15, 30, 60',
  ],
  [
    'no evaluation periods',
    (c) => (c.monitoring = { alarms: { evaluationPeriods: 0, datapointsToAlarm: 0 } }),
    'monitoring.alarms.evaluationPeriods: 0 is less than 1; allowed: 1 or more',
  ],
  [
    'evaluation window beyond 3 hours',
    (c) => (c.monitoring = { alarms: { periodMinutes: 60, evaluationPeriods: 4 } }),
    'monitoring.alarms.evaluationPeriods: 4 times periodMinutes (60) spans 240 minutes; allowed: at most 180 (Metrics Insights alarms evaluate only the latest 3 hours)',
  ],
  [
    'datapoints above evaluation periods',
    (c) => (c.monitoring = { alarms: { datapointsToAlarm: 5 } }),
    'monitoring.alarms.datapointsToAlarm: 5 is not between 1 and evaluationPeriods; allowed: 1 to 3',
  ],
  [
    'broker alarm override',
    (c) => (amq(c).alarms = { memoryPercent: 0 }),
    'brokers[0].alarms.memoryPercent: 0 is not a percentage; allowed: more than 0, at most 100',
  ],
  [
    'bad email subscription',
    (c) => (c.monitoring = { subscriptions: [{ protocol: 'email', endpoint: 'ops' }] }),
    'monitoring.subscriptions[0].endpoint: "ops" is not an email address; allowed: "name@example.com"',
  ],
  [
    'http subscription',
    (c) => (c.monitoring = { subscriptions: [{ protocol: 'https', endpoint: 'http://hooks.example.com/x' }] }),
    'monitoring.subscriptions[0].endpoint: "http://hooks.example.com/x" is not an https URL; allowed: "https://host/path" (plain http is not accepted)',
  ],
  [
    'duplicate subscription',
    (c) =>
      (c.monitoring = {
        subscriptions: [
          { protocol: 'email', endpoint: 'ops@example.com' },
          { protocol: 'email', endpoint: 'ops@example.com' },
        ],
      }),
    'monitoring.subscriptions[1].endpoint: "ops@example.com" is a duplicate; allowed: each endpoint once',
  ],
  [
    'bad topic ARN',
    (c) => (c.monitoring = { alarmTopicArns: ['arn:aws:sqs:eu-west-1:123456789012:q'] }),
    'monitoring.alarmTopicArns[0]: "arn:aws:sqs:eu-west-1:123456789012:q" is not an SNS topic ARN; allowed: "arn:aws:sns:<region>:<account>:<topic>"',
  ],
  [
    'too many topics',
    (c) => (c.monitoring = { alarmTopicArns: Array.from({ length: 5 }, (_, i) => `arn:aws:sns:eu-west-1:123456789012:t${i}`) }),
    `monitoring.alarmTopicArns: ${JSON.stringify(Array.from({ length: 5 }, (_, i) => `arn:aws:sns:eu-west-1:123456789012:t${i}`))} has 5 topics; allowed: at most 4 (an alarm takes 5 actions per state, one is the environment's alarm topic)`,
  ],
  [
    'too many Metrics Insights alarms',
    (c) => (c.brokers = Array.from({ length: 101 }, (_, i) => ({ ...amq(c), name: `b${i}`, deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ' }))),
    'brokers: "202 Metrics Insights alarms" is more than CloudWatch allows; allowed: at most 200 per account and region (fewer brokers, or ask AWS for a higher quota first)',
  ],
  [
    'virtual host on ActiveMQ',
    (c) => (amq(c).queues = [{ name: 'orders', virtualHost: '/' }]),
    'brokers[0].queues[0].virtualHost: "/" does not apply to ActiveMQ queues; allowed: remove the field',
  ],
  [
    'queue name too long',
    (c) => (amq(c).queues = [{ name: 'q'.repeat(256) }]),
    `brokers[0].queues[0].name: "${'q'.repeat(256)}" is not a queue name CloudWatch can carry; allowed: 1 to 255 characters`,
  ],
  [
    'RabbitMQ queue name with a space',
    (c) => Object.assign(rmq(c), { engineVersion: '3.13', queues: [{ name: 'my orders' }] }),
    'brokers[1].queues[0].name: "my orders" has a space, tab or non-ASCII character, and Amazon MQ publishes no metrics for such names; allowed: printable ASCII without spaces',
  ],
  [
    'duplicate queue',
    (c) => (amq(c).queues = [{ name: 'orders' }, { name: 'orders' }]),
    'brokers[0].queues[1].name: "orders" is a duplicate; allowed: each queue once in queues',
  ],
  [
    'negative max depth',
    (c) => (amq(c).queues = [{ name: 'orders', maxDepth: -5 }]),
    'brokers[0].queues[0].maxDepth: -5 is negative; allowed: 0 (alarm on any message) or more',
  ],
  [
    'queue alarms on RabbitMQ 4',
    (c) => (rmq(c).queues = [{ name: 'orders' }]),
    'brokers[1].queues: ["orders"] cannot be alarmed on: Amazon MQ publishes no per-queue metrics for RabbitMQ 4.2 brokers; allowed: remove it (the broker-level ready and unacknowledged message alarms cover depth) or run RabbitMQ 3.13',
  ],
  [
    'dead-letter alarms on RabbitMQ 4',
    (c) => (rmq(c).deadLetterQueues = [{ name: 'orders.dlq' }]),
    'brokers[1].deadLetterQueues: ["orders.dlq"] cannot be alarmed on: Amazon MQ publishes no per-queue metrics for RabbitMQ 4.2 brokers; allowed: remove it (the broker-level ready and unacknowledged message alarms cover depth) or run RabbitMQ 3.13',
  ],
  [
    'alarm template too large',
    (c) =>
      Object.assign(amq(c), {
        deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
        queues: Array.from({ length: 200 }, (_, i) => ({ name: `${i}`.padStart(200, 'q') })),
      }),
    'brokers[0].queues: "200 queues" need about 1054 KB of alarm template for this broker; allowed: at most 900 KB (CloudFormation takes templates up to 1 MB; shorten queue names, set alarmWithoutConsumers: false on some queues, or name fewer)',
  ],
  [
    'too many alarms for one broker',
    (c) => (amq(c).queues = Array.from({ length: 223 }, (_, i) => ({ name: `q${i}` }))),
    'brokers[0].queues: "223 queues" need 452 alarms for this broker; allowed: at most 450 (a broker\'s alarms share one CloudFormation stack of at most 500 resources; set alarmWithoutConsumers: false on some queues, or name fewer)',
  ],
];

/** Findings that do not stop synth: the config is accepted and synth prints them as warnings. */
const warningCases: Array<[string, (c: Mutable) => void, string]> = [
  [
    'more brokers than the default quota (adjustable)',
    (c) => (c.brokers = Array.from({ length: 201 }, (_, i) => ({ ...rmq(c), name: `b${i}`, deploymentMode: 'SINGLE_INSTANCE' }))),
    'brokers: "201 brokers" is more than the default Amazon MQ quota of 200 brokers per account and region (adjustable, and shared with brokers outside this config); allowed: up to 200, or more once AWS has raised the quota',
  ],
];

describe('warnings', () => {
  test.each(warningCases)('%s', (_name, edit, expected) => {
    const config: Mutable = structuredClone(minimalConfig());
    edit(config);
    const result = validateConfig(config);
    expect(result.warnings.map(formatProblem)).toEqual([expected]);
  });
});

describe('invalid configs', () => {
  test.each(cases)('%s', (_name, edit, expected) => {
    expect(problemsOf(edit)).toEqual([expected]);
  });

  test('every rule of the tables has at least one case', () => {
    const fired = new Set<string>();
    for (const [, edit] of [...cases, ...warningCases]) {
      const config: Mutable = structuredClone(minimalConfig());
      edit(config);
      const result = validateConfig(config);
      for (const p of [...result.problems, ...result.warnings]) fired.add(p.rule);
    }
    const ids = [...ENVIRONMENT_RULES, ...BROKER_RULES, ...MONITORING_ENVIRONMENT_RULES, ...MONITORING_BROKER_RULES].map((r) => r.id);
    expect(ids.filter((id) => !fired.has(id))).toEqual([]);
  });

  test('all problems of a config are reported at once, in file order', () => {
    const lines = problemsOf((c) => {
      c.region = 'nowhere';
      amq(c).engineVersion = '5.16';
      amq(c).junk = true;
      rmq(c).users[0].username = 'guest';
    });
    expect(lines).toEqual([
      'brokers[0].engineVersion: "5.16" is not accepted for new ACTIVEMQ brokers; allowed: 5.18, 5.19 (major.minor only; older versions are at or past end of support)',
      'brokers[0].junk: true is not a known field; allowed: name, engine, engineVersion, deploymentMode, instanceType, storageType, maintenanceWindow, logs, protocols, clients, administrator, authentication, users, rotation, tags, queues, deadLetterQueues, alarms, consumers, definitions, configuration, replica',
      'brokers[1].users[0].username: "guest" is reserved by RabbitMQ; allowed: any other username',
      `region: "nowhere" is not an AWS region; allowed: ${KNOWN_REGIONS.join(', ')}`,
    ]);
  });

  test('a type error hides no rule finding elsewhere, in the same broker or another one', () => {
    const lines = problemsOf((c) => {
      c.protected = 'yes';
      amq(c).engineVersion = '5.16';
      amq(c).logs = { general: 'on' };
      rmq(c).engineVersion = '3.12';
      rmq(c).users = 'admin';
    });
    expect(lines).toEqual([
      'brokers[0].engineVersion: "5.16" is not accepted for new ACTIVEMQ brokers; allowed: 5.18, 5.19 (major.minor only; older versions are at or past end of support)',
      'brokers[0].logs.general: "on" is not a boolean',
      'brokers[1].engineVersion: "3.12" is not accepted for new RABBITMQ brokers; allowed: 3.13, 4.2, 4.3 (major.minor only; older versions are at or past end of support)',
      'brokers[1].users: "admin" is not an array',
      'protected: "yes" is not a boolean',
    ]);
  });

  // Every field of a broker and of the environment, given a wrong type, hides no finding elsewhere
  // (findings that depend on the broken field's value, such as an engine's username rules, aside).
  const others = (c: Mutable) => {
    amq(c).engineVersion = '5.16';
    amq(c).tags = { 'aws:x': 'y' };
    amq(c).clients[0].cidr = '0.0.0.0/0';
    c.tags = { 'aws:e': 'v' };
  };
  const elsewhere = ['brokers[0].engineVersion', 'brokers[0].tags.aws:x', 'brokers[0].clients[0].cidr', 'tags.aws:e'];
  const brokerFields = Object.keys(minimalConfig().brokers[0]).concat([
    'storageType',
    'maintenanceWindow',
    'logs',
    'protocols',
    'tags',
    'queues',
    'deadLetterQueues',
    'alarms',
  ]);
  const fields = [
    ...brokerFields.flatMap((f) => [0, 1].map((i) => `brokers[${i}].${f}`)),
    ...['environment', 'region', 'account', 'protected', 'allowReplacement', 'compliance', 'rotation', 'monitoring', 'network'],
  ];
  test.each(fields)('a wrong type in %s hides no finding elsewhere', (field) => {
    for (const bad of [42, 'x', null]) {
      const config: Mutable = structuredClone(minimalConfig());
      others(config);
      const m = /^brokers\[(\d)\]\.(.+)$/.exec(field);
      if (m) config.brokers[Number(m[1])][m[2]] = bad;
      else config[field] = bad;
      const paths = validateConfig(config).problems.map((p) => p.path);
      expect(elsewhere.filter((e) => !e.startsWith(field) && !paths.includes(e))).toEqual([]);
    }
  });

  test('a wrong type in one network field hides no finding in another', () => {
    expect(problemsOf((c) => ((c.network.subnetCidrMask = 'x'), (c.network.cidr = '10.0.0.0/8')))).toEqual([
      'network.cidr: "10.0.0.0/8" is not a VPC CIDR; allowed: an IPv4 block from /16 to /28, for example "10.20.0.0/16"',
      'network.subnetCidrMask: "x" is not a number',
    ]);
  });

  test('a broker that is not an object hides nothing in the others', () => {
    expect(problemsOf((c) => ((c.brokers[0] = 'amq'), (rmq(c).engineVersion = '4.9')))).toEqual([
      'brokers[0]: "amq" is not an object',
      'brokers[1].engineVersion: "4.9" is not accepted for new RABBITMQ brokers; allowed: 3.13, 4.2, 4.3 (major.minor only; older versions are at or past end of support)',
    ]);
  });

  test('parseConfig throws one error listing every problem', () => {
    const config: Mutable = minimalConfig();
    amq(config).engineVersion = '5.17';
    rmq(config).engineVersion = '3.12';
    expect(() => parseConfig(config as MqPlatformConfigInput, 'config/bad.json')).toThrow(ConfigValidationError);
    expect(() => parseConfig(config as MqPlatformConfigInput, 'config/bad.json')).toThrow(
      /^config\/bad.json: 2 problems in the config:\n {2}- brokers\[0\]\.engineVersion: "5\.17".*\n {2}- brokers\[1\]\.engineVersion: "3\.12"/,
    );
  });

  test('the version table offers only major.minor versions', () => {
    for (const versions of Object.values(ENGINE_VERSIONS)) for (const v of versions) expect(v).toMatch(/^\d+\.\d+$/);
  });
});
