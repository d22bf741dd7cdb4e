import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { warningId } from '../../lib/app/mq-platform-app';
import { environmentTemplates, synthEnvironment } from '../../lib/app/synth';
import { CATALOG_MAX_AGE_DAYS, catalogAge, ENGINE_VERSIONS, FACT_DATES, INSTANCE_TYPE_RULES } from '../../lib/amazonmq/catalog';
import * as catalog from '../../lib/amazonmq/catalog';
import { parseConfig } from '../../lib/config/load-config';
import { minimalConfig } from '../support/configs';

type Mutable = any;

describe('RabbitMQ 4.3 on every mq.m7g size (developer guide rabbitmq-4, rabbitmq-43)', () => {
  const m7g = INSTANCE_TYPE_RULES.filter((r) => r.engine === 'RABBITMQ' && r.versions.includes('4.3')).flatMap((r) => r.instanceTypes);

  test('the catalog offers 4.3 on all eight sizes, medium to 16xlarge', () => {
    expect(ENGINE_VERSIONS.RABBITMQ).toContain('4.3');
    expect(m7g).toEqual([
      'mq.m7g.medium',
      'mq.m7g.large',
      'mq.m7g.xlarge',
      'mq.m7g.2xlarge',
      'mq.m7g.4xlarge',
      'mq.m7g.8xlarge',
      'mq.m7g.12xlarge',
      'mq.m7g.16xlarge',
    ]);
  });

  test('one environment with a 4.3 cluster on each size synthesizes with every validation on', () => {
    const raw: Mutable = minimalConfig();
    const rmq = raw.brokers[1];
    raw.brokers = m7g.map((instanceType) => ({ ...rmq, name: `r${instanceType.split('.')[2]}`, engineVersion: '4.3', instanceType }));
    const templates = environmentTemplates(parseConfig(raw));
    const brokers = Object.values(templates['MqPlatform-test-Brokers'].Resources ?? {}).filter(
      (r: Mutable) => r.Type === 'AWS::AmazonMQ::Broker',
    );
    expect(brokers.map((b: Mutable) => `${b.Properties.EngineVersion} ${b.Properties.HostInstanceType}`)).toEqual(
      m7g.map((t) => `4.3 ${t}`),
    );
  });
});

describe('synth warnings (annotations, never template content)', () => {
  const warningsOf = (raw: Mutable, today?: Date) => {
    const { stacks } = synthEnvironment(parseConfig(raw), undefined, { today, baseline: {} });
    // Synth prints its warnings (the CLI shows them); the test reads them from the assembly instead.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      return Annotations.fromStack(stacks.monitoring)
        .findWarning('*', Match.anyValue())
        .map((w) => String(w.entry.data).replace(/ \[ack: .*\]$/, ''));
    } finally {
      quiet.mockRestore();
    }
  };
  const fresh = new Date(`${catalogAge(new Date(0)).date}T12:00:00Z`);

  test('every fact of the catalog is dated', () => {
    const facts = Object.keys(catalog).filter((k) => /^[A-Z][A-Z0-9_]+$/.test(k) && !['FACT_DATES', 'CATALOG_MAX_AGE_DAYS'].includes(k));
    expect(facts.filter((k) => !(k in FACT_DATES))).toEqual([]);
    for (const date of Object.values(FACT_DATES)) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('a catalog older than 90 days', () => {
    const { fact, date } = catalogAge(fresh);
    const later = new Date(Date.parse(`${date}T00:00:00Z`) + (CATALOG_MAX_AGE_DAYS + 1) * 86_400_000);
    expect(warningsOf(minimalConfig(), fresh)).toEqual([]);
    expect(warningsOf(minimalConfig(), later)).toEqual([
      `catalog: lib/amazonmq/catalog.ts was last checked 91 days ago (${fact}, ${date}); allowed: at most 90 days. Re-check its facts against their SOURCES (new engine versions, instance types, ends of support) and update FACT_DATES`,
    ]);
  });

  test('a protected environment that notifies nobody', () => {
    const raw: Mutable = minimalConfig({ protected: true });
    expect(warningsOf(raw, fresh)).toEqual([
      'monitoring.subscriptions: (missing) notifies nobody when an alarm of this protected environment fires; allowed: at least one subscription ({ "protocol": "email", "endpoint": "oncall@example.com" }) or monitoring.alarmTopicArns',
    ]);
    raw.monitoring = { subscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }] };
    expect(warningsOf(raw, fresh)).toEqual([]);
  });

  test('validation warnings reach synth', () => {
    const raw: Mutable = minimalConfig();
    raw.brokers = Array.from({ length: 201 }, (_, i) => ({ ...raw.brokers[1], name: `b${i}`, deploymentMode: 'SINGLE_INSTANCE' }));
    const config = parseConfig(raw);
    expect(config.warnings).toEqual([
      'brokers: "201 brokers" is more than the default Amazon MQ quota of 200 brokers per account and region (adjustable, and shared with brokers outside this config); allowed: up to 200, or more once AWS has raised the quota',
    ]);
  });
});

describe('acknowledge ids of synth warnings: the config path without brackets (the CLI cuts an id at "[")', () => {
  test.each([
    ['brokers[1].authentication.roles: [] is empty', 'mq-platform:brokers.1.authentication.roles'],
    ['consumers[0].brokers[12]: "x" is …', 'mq-platform:consumers.0.brokers.12'],
    ['monitoring.subscriptions: (missing) notifies nobody', 'mq-platform:monitoring.subscriptions'],
    ['catalog: lib/amazonmq/catalog.ts was last checked', 'mq-platform:catalog'],
  ])('%s → %s', (message, id) => {
    expect(warningId(message)).toBe(id);
  });

  test('an indexed validation warning reaches synth with a usable id', () => {
    const raw: Mutable = minimalConfig();
    const b = raw.brokers[1];
    delete b.administrator;
    b.users = [];
    b.authentication = { strategy: 'iam', issuer: 'https://a1b2c3d4-0000-1111-2222-333344445555.tokens.sts.global.api.aws', roles: [] };
    const { stacks } = synthEnvironment(parseConfig(raw), undefined, { baseline: {} });
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const data = Annotations.fromStack(stacks.monitoring)
        .findWarning('*', Match.stringLikeRegexp('^brokers\\[1\\]\\.authentication\\.roles: '))
        .map((w) => String(w.entry.data));
      expect(data).toEqual([expect.stringMatching(/ \[ack: mq-platform:brokers\.1\.authentication\.roles\]$/)]);
    } finally {
      quiet.mockRestore();
    }
  });
});

describe('limits of the services the stacks touch, counted on what synth declares', () => {
  test('more than 500 resources in the brokers stack (CloudFormation quota) fails synth naming the config field', () => {
    // Two ActiveMQ brokers of 100 users each: within every per-broker user limit, over 500 resources.
    const raw: Mutable = minimalConfig();
    const users = Array.from({ length: 100 }, (_, i) => ({ username: `user${i}` }));
    raw.brokers = [{ ...raw.brokers[0], users }, { ...raw.brokers[0], name: 'amq2', users }, raw.brokers[1]];
    expect(() => environmentTemplates(parseConfig(raw))).toThrow(
      /brokers: "3 brokers with 201 users" make MqPlatform-test-Brokers declare \d+ resources; allowed: at most 500 per CloudFormation stack \(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/UserGuide\/cloudformation-limits\.html\): fewer users or brokers per environment, or split it in two/,
    );
  });
});

describe('engine upgrades in a protected environment (one step at a time, never down)', () => {
  const protectedRabbit = (engineVersion: string): Mutable => {
    const raw: Mutable = minimalConfig({
      protected: true,
      monitoring: { subscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }] },
    } as Mutable);
    raw.brokers = [{ ...raw.brokers[1], engineVersion, instanceType: 'mq.m7g.large' }];
    return raw;
  };
  const deployed313 = environmentTemplates(parseConfig(protectedRabbit('3.13')), { baseline: false });

  test.each([
    ['3.13 → 4.2 (one step)', '4.2', undefined],
    [
      '3.13 → 4.3 (skips 4.2)',
      '4.3',
      'brokers[0].engineVersion: "4.3" cannot be reached from 3.13, the version the committed snapshot deploys; allowed: 3.13, 4.2 (Amazon MQ upgrades in place one step at a time and never down: 3.13 → 4.2, 4.2 → 4.3; https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-43.html)',
    ],
  ])('%s', (_name, version, message) => {
    const synth = () => environmentTemplates(parseConfig(protectedRabbit(version)), { baseline: deployed313 });
    if (message === undefined) expect(synth).not.toThrow();
    else expect(synth).toThrow(message);
  });
});

describe('outputs per stack', () => {
  test('more than 200 outputs in the brokers stack (each broker has its ids, endpoints, console and secret) fails synth', () => {
    // 23 ActiveMQ brokers with every protocol: 9 outputs each.
    const raw: Mutable = minimalConfig();
    const amq = { ...raw.brokers[0], protocols: ['OPENWIRE', 'STOMP', 'AMQP', 'MQTT', 'WSS', 'CONSOLE'], clients: [] };
    raw.brokers = Array.from({ length: 23 }, (_, i) => ({ ...amq, name: `b${i}` }));
    expect(() => environmentTemplates(parseConfig(raw))).toThrow(
      /brokers: "23 brokers with 23 users" make MqPlatform-test-Brokers declare \d{3} outputs; allowed: at most 200 per CloudFormation stack/,
    );
  });
});
