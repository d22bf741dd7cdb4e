import { Validations } from 'aws-cdk-lib';
import { addEnvironment } from '../../lib/app/mq-platform-app';
import { newApp } from '../../lib/app/synth';
import { addCompliance } from '../../lib/compliance/compliance';
import { checkEnvironment, renderMarkdown, unacknowledgedErrors } from '../../lib/compliance/compliance-report';
import { catalogAge } from '../../lib/amazonmq/catalog';
import { parseConfig } from '../../lib/config/load-config';
import { FIXTURES, fixtureConfig, rawFixture } from '../support/configs';

type Mutable = any;

function prodWith(edit: (c: Mutable) => void) {
  const raw: Mutable = structuredClone(rawFixture('production'));
  edit(raw);
  return parseConfig(raw);
}

/** Synth with every pack; returns the error message, or '' when synth passed. */
function synthError(config: ReturnType<typeof parseConfig>, tweak?: (app: ReturnType<typeof newApp>) => void): string {
  const app = newApp();
  const stacks = addEnvironment(app, config);
  addCompliance(app, config, 'all');
  tweak?.(stacks.brokers as never);
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

// A day the catalog is current, so that the result does not depend on when the test runs.
const today = new Date(`${catalogAge(new Date(0)).date}T12:00:00Z`);

describe.each(FIXTURES)('test/fixtures/%s.json with every pack', (stage) => {
  const result = checkEnvironment(fixtureConfig(stage), { today });

  test('has no unacknowledged error or warning', () => {
    expect(result.findings.map((f) => `${f.pack} ${f.rule} ${f.paths.join(', ')}`)).toEqual([]);
    expect(unacknowledgedErrors([result])).toBe(0);
  });

  test('acknowledges no secrets-rotation rule and nothing on a whole stack of ours', () => {
    for (const a of result.acknowledgements) {
      expect(a.rule).not.toMatch(/SMG4|Rotation/i);
      // aws-cdk-lib acknowledges its own W3010 (literal AZs) on the stack; ours sit on one resource.
      if (a.pack !== 'CloudFormation-Validate') expect(a.path.split('/').length).toBeGreaterThan(1);
      expect(a.reason.length).toBeGreaterThan(40);
    }
  });

  test('the markdown report lists every pack', () => {
    const md = renderMarkdown([result]);
    for (const pack of ['AmazonMQ', 'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'cdk-validator-cfnguard'])
      expect(md).toContain(`| ${pack} |`);
  });
});

// The first case synthesizes with every pack (the Amazon MQ pack's errors still surface among the
// others); the rest need only the Amazon MQ pack, whose rules they are about (each all-pack synth
// costs seconds, and the fixtures above already run every pack).
describe('production violations fail synth naming the rule', () => {
  test('a single-instance RabbitMQ broker (MQ.6), with every pack', () => {
    const config = prodWith((c) => {
      c.brokers[1].deploymentMode = 'SINGLE_INSTANCE';
    });
    expect(synthError(config)).toMatch(/AmazonMQ-MQ\.6/);
  });

  test('an ActiveMQ broker without audit logs (MQ.2)', () => {
    const config = prodWith((c) => {
      c.brokers[0].logs = { audit: false };
    });
    expect(mqPackError(config)).toMatch(/AmazonMQ-MQ\.2/);
  });

  test('a public broker (MQP.1)', () => {
    const config = fixtureConfig('production');
    const app = newApp();
    const stacks = addEnvironment(app, config);
    addCompliance(app, config, 'mq');
    stacks.brokers.brokers.orders.resource.publiclyAccessible = true;
    expect(() => app.synth()).toThrow(/AmazonMQ-MQP\.1/);
  });

  test('a missing required tag (MQ.4)', () => {
    const config = prodWith((c) => {
      c.compliance.requiredTagKeys.push('cost-center');
    });
    expect(mqPackError(config)).toMatch(/AmazonMQ-MQ\.4/);
  });
});

/** Synth with the Amazon MQ pack only; returns the error message, or '' when synth passed. */
function mqPackError(config: ReturnType<typeof parseConfig>): string {
  const app = newApp();
  addEnvironment(app, config);
  addCompliance(app, config, 'mq');
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('findings name the config field, and the config can accept them with a reason', () => {
  const singleRabbit = (c: Mutable) => (c.brokers[1].deploymentMode = 'SINGLE_INSTANCE');

  test.each([
    [
      'a single-instance RabbitMQ broker',
      singleRabbit,
      'MQ.6 (CT.MQ.PR.2): the production RabbitMQ broker is not CLUSTER_MULTI_AZ. Config: brokers[1].deploymentMode (or accept it in compliance.acknowledge with a reason).',
    ],
    [
      'an ActiveMQ broker without audit logs',
      (c: Mutable) => (c.brokers[0].logs = { audit: false }),
      'MQ.2: the ActiveMQ broker does not stream audit logs to CloudWatch. Config: brokers[0].logs.audit (or accept it in compliance.acknowledge with a reason).',
    ],
    [
      'a missing required tag',
      (c: Mutable) => c.compliance.requiredTagKeys.push('cost-center'),
      'MQ.4: the broker lacks required tags (owner, project, data-classification, cost-center). Config: brokers[0].tags or tags (or accept it in compliance.acknowledge with a reason).',
    ],
  ])('%s', (_name, edit, message) => {
    expect(mqPackError(prodWith(edit))).toContain(message);
  });

  test('an acknowledgement of that field lets synth pass, and the report shows its reason', () => {
    const config = prodWith((c) => {
      singleRabbit(c);
      c.compliance.acknowledge = [
        {
          rule: 'AmazonMQ-MQ.6',
          path: 'brokers[1].deploymentMode',
          reason: 'event replay tolerates a zone outage; cost matters more here',
        },
      ];
    });
    expect(mqPackError(config)).toBe('');
  });
});

describe('outside production', () => {
  test('the same violations are warnings and synth passes', () => {
    const raw: Mutable = structuredClone(rawFixture('dev'));
    raw.brokers[0].logs = { audit: false };
    const config = parseConfig(raw);
    const app = newApp();
    addEnvironment(app, config);
    Validations.of(app); // packs come from addCompliance below
    addCompliance(app, config, 'mq');
    expect(() => app.synth()).not.toThrow();
  });
});
