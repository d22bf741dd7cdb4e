import { environmentTemplates } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { renderReview } from '../../lib/review/render-review';
import { checkReplacements } from '../../lib/review/replacement-guard';
import { configurationDataChange, configurationNote, lineChanges } from '../../lib/review/configuration-changes';
import { diffEnvironment, type StackTemplates } from '../../lib/review/template-diff';
import { rawFixture } from '../support/configs';

type Mutable = any; // configs are edited freely in these tests

const withConfiguration = (c: Mutable) => {
  c.brokers[0].users = c.brokers[0].users.map((u: Mutable) => ({ ...u, groups: u.groups ?? ['apps'] }));
  c.brokers[0].configuration = {
    activemq: {
      destinationPolicies: [{ queue: '>', deadLetter: { strategy: 'individual' } }],
      authorization: [{ queue: '>', read: ['apps'], write: ['apps'], admin: ['apps'] }],
    },
  };
  c.brokers[1].configuration = { rabbitmq: { heartbeatSeconds: 60, limits: { connectionsPerNode: 1000 } } };
};

function templates(edit: (c: Mutable) => void): { protected: boolean; templates: StackTemplates; allow: Mutable } {
  const raw: Mutable = structuredClone(rawFixture('production'));
  edit(raw);
  const c = parseConfig(raw, 'production');
  return { protected: c.protected, templates: environmentTemplates(c, { baseline: false }), allow: c.allowReplacement };
}

function review(base: StackTemplates, edit: (c: Mutable) => void): string {
  const head = templates(edit);
  const diff = diffEnvironment(base, head.templates);
  return renderReview(
    [{ environment: 'production', protected: head.protected, base: 'HEAD', diff, guard: checkReplacements(diff, head.allow) }],
    'text',
  );
}

describe('review of broker configurations (protected production fixture)', () => {
  const deployed = templates(() => undefined).templates;

  test('associating a configuration with a running broker is an in-place update that needs a reboot, not a replacement', () => {
    const text = review(deployed, withConfiguration);
    expect(text).toContain('resources 0 replaced');
    expect(text).not.toContain('!!');
    expect(text).toMatch(
      /UPDATE in place broker orders-production \(orders46FA7C19\)[^\n]*\n(\s+.*\n)*?\s+Configuration: set to \{"Id":"ordersConfiguration[0-9A-F]+\.Id","Revision":"ordersConfiguration[0-9A-F]+\.Revision"\}\n\s+NEEDS A REBOOT: the broker keeps running the previous revision until its next reboot or maintenance window \(https:\/\/docs\.aws\.amazon\.com\/amazon-mq\/latest\/developer-guide\/amazon-mq-broker-configuration-parameters\.html\)/,
    );
    expect(text).toMatch(/ADD AWS::AmazonMQ::Configuration eventsConfiguration[0-9A-F]+ \[MqPlatform-production-Brokers\]/);
    // The RabbitMQ connections alarm moves to the configured limit of one node.
    expect(text).toContain('Threshold: 400 → 800');
  });

  test('a changed value is a new revision: the review shows the rabbitmq.conf lines and the reboot', () => {
    const base = templates(withConfiguration).templates;
    const text = review(base, (c) => {
      withConfiguration(c);
      c.brokers[1].configuration.rabbitmq.heartbeatSeconds = 120;
    });
    expect(text).toContain('resources 0 replaced, 1 updated, 0 added, 0 removed');
    expect(text).toMatch(
      /UPDATE in place AWS::AmazonMQ::Configuration eventsConfiguration[0-9A-F]+ \[MqPlatform-production-Brokers\]\n\s+Data:\n\s+- heartbeat = 60\n\s+\+ heartbeat = 120\n\s+new revision, which the broker is associated with on deploy; NEEDS A REBOOT: [^\n]*configure-resource-limits\.html\)/,
    );
  });

  test('a changed ActiveMQ policy shows the XML lines that change', () => {
    const base = templates(withConfiguration).templates;
    const text = review(base, (c) => {
      withConfiguration(c);
      c.brokers[0].configuration.activemq.destinationPolicies[0].deadLetter.queuePrefix = 'DEAD.';
    });
    expect(text).toContain('- <individualDeadLetterStrategy queuePrefix="DLQ." useQueueForQueueMessages="true"/>');
    expect(text).toContain('+ <individualDeadLetterStrategy queuePrefix="DEAD." useQueueForQueueMessages="true"/>');
  });
});

describe('configuration change details', () => {
  test('line changes of two texts', () => {
    expect(lineChanges('a = 1\nb = 2\n', 'b = 2\nc = 3\n')).toEqual(['- a = 1', '+ c = 3']);
  });

  test('only the Data of a configuration is decoded; other changes keep the generic description', () => {
    expect(configurationDataChange('AWS::AmazonMQ::Configuration', 'Data', { 'Fn::Base64': 'x = 1' }, { 'Fn::Base64': 'x = 2' })).toEqual([
      '- x = 1',
      '+ x = 2',
    ]);
    expect(configurationDataChange('AWS::AmazonMQ::Configuration', 'Description', 'a', 'b')).toBeUndefined();
    expect(configurationNote('AWS::AmazonMQ::Broker', 'Users', 'ACTIVEMQ')).toBeUndefined();
  });
});
