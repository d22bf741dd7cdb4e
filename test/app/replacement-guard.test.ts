import { renderSnapshot } from '../../lib/app/normalize-template';
import { environmentTemplates } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import type { StackTemplates } from '../../lib/review/template-diff';
import { renderReview } from '../../lib/review/render-review';
import { checkReplacements } from '../../lib/review/replacement-guard';
import { diffEnvironment } from '../../lib/review/template-diff';
import { fixtureConfig, rawFixture, type FixtureName } from '../support/configs';

type Mutable = any; // configs are edited freely in these tests

function config(stage: FixtureName, edit: (c: Mutable) => void) {
  const raw: Mutable = structuredClone(rawFixture(stage));
  edit(raw);
  return parseConfig(raw, stage);
}

// What is deployed: the fixture as it is, standing in for an environment's committed snapshots.
const deployed: Record<string, StackTemplates> = {};
function baseline(stage: FixtureName): StackTemplates {
  return (deployed[stage] ??= environmentTemplates(fixtureConfig(stage), { baseline: false }));
}
/** Synth with the guard comparing with the deployed fixture. */
const synth = (stage: FixtureName, c: ReturnType<typeof config>) => environmentTemplates(c, { baseline: baseline(stage) });

function reviewOf(stage: FixtureName, edit: (c: Mutable) => void): string {
  const c = config(stage, edit);
  const diff = diffEnvironment(baseline(stage), environmentTemplates(c, { baseline: false }));
  return renderReview(
    [{ environment: stage, protected: c.protected, base: 'HEAD', diff, guard: checkReplacements(diff, c.allowReplacement) }],
    'text',
  );
}

/** Lines that differ between two texts (added plus removed), as `git diff --numstat` counts them. */
function changedLines(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  return x.length + y.length - 2 * lcs[0][0];
}

// A single-instance ActiveMQ broker must also accept reboot downtime for credential rotation.
const toSingleInstance = (c: Mutable) =>
  Object.assign(c.brokers[0], { deploymentMode: 'SINGLE_INSTANCE', rotation: { acceptRebootDowntime: true } });

describe('the replacement guard at synth (prod is protected)', () => {
  test('changing a prod broker deployment mode fails synth, naming the broker, the property and how to allow it', () => {
    expect(() => synth('production', config('production', toSingleInstance))).toThrow(
      /FATAL MqPlatform-production-Brokers: broker orders-production \(orders46FA7C19\) will be deleted and recreated: messages on it are lost[^\n]*\n\s+because: DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" → "SINGLE_INSTANCE"[^\n]*\n\s+production is a protected environment; to allow it, add to the config: "allowReplacement": \[\{ "broker": "orders", "property": "DeploymentMode", "reason": /,
    );
  });

  test('the same change passes with allowReplacement for that broker', () => {
    const allowed = config('production', (c) => {
      toSingleInstance(c);
      c.allowReplacement = [{ broker: 'orders', reason: 'single instance is enough after the traffic moved to events' }];
    });
    expect(() => synth('production', allowed)).not.toThrow();
  });

  test('the same change in dev (not protected) synthesizes, and the review marks it as a replacement', () => {
    const toActiveStandby = (c: Mutable) =>
      Object.assign(c.brokers[0], { deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ', instanceType: 'mq.m5.large' });
    expect(() => synth('dev', config('dev', toActiveStandby))).not.toThrow();
    const text = reviewOf('dev', toActiveStandby);
    expect(text).toContain('!! REPLACE broker orders-dev (orders46FA7C19) will be deleted and recreated: messages on it are lost');
    expect(text).toContain('because DeploymentMode: "SINGLE_INSTANCE" → "ACTIVE_STANDBY_MULTI_AZ"');
    expect(text).toContain('dev is not protected: this deploys without a guard');
  });

  test('a new client CIDR and an instance type change pass and show as in-place updates', () => {
    const edit = (c: Mutable) => {
      c.brokers[0].clients.push({ name: 'reporting', cidr: '10.50.0.0/16' });
      c.brokers[1].instanceType = 'mq.m7g.xlarge';
    };
    expect(() => synth('production', config('production', edit))).not.toThrow();
    const text = reviewOf('production', edit);
    // The instance type also moves the limit alarms to the new type's defaults (connection_max 500 → 1000 per node; channels, queues, exchanges).
    expect(text).toContain('Against HEAD: resources 0 replaced, 6 updated, 0 added, 0 removed.');
    expect(text).toContain('   UPDATE in place AWS::CloudWatch::Alarm AlarmsConnections7A8792DF [MqPlatform-production-Alarms-events]');
    expect(text).toContain('      Threshold: 400 → 800');
    expect(text).toContain('   UPDATE in place AWS::CloudWatch::Alarm AlarmsLimitQueuesB3F48EE3 [MqPlatform-production-Alarms-events]');
    expect(text).toContain(
      '   UPDATE in place security group of broker orders (ordersSecurityGroupE4C1FAB8) [MqPlatform-production-Brokers]',
    );
    expect(text).toContain('      SecurityGroupIngress:\n        + {"CidrIp":"10.50.0.0/16","Description":"reporting OpenWire"');
    expect(text).toContain(
      '   UPDATE in place broker events-production (events26E65764) [MqPlatform-production-Brokers]\n      HostInstanceType: "mq.m7g.large" → "mq.m7g.xlarge"',
    );
    expect(text).not.toContain('!!');
  });

  test('an unused allowance is pointed out as stale (synth refuses it)', () => {
    const text = reviewOf('production', (c) => (c.allowReplacement = [{ broker: 'orders', reason: 'deployed last week; left over' }]));
    expect(text).toContain(
      'STALE: allowReplacement[0] (broker orders) allows nothing in this change: production is protected and a stale allowance would let a later change through; remove it',
    );
  });
});

describe('reviewable snapshots', () => {
  test('one more client CIDR on one broker changes at most 15 snapshot lines', () => {
    const head = synth(
      'production',
      config('production', (c) => c.brokers[0].clients.push({ name: 'reporting', cidr: '10.50.0.0/16' })),
    );
    let changed = 0;
    for (const [stack, template] of Object.entries(head)) {
      changed += changedLines(renderSnapshot(baseline('production')[stack]), renderSnapshot(template));
    }
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(15);
  });

  test('rendering is stable: two clean runs and a re-render of a snapshot are byte-identical', () => {
    const prod = config('production', () => undefined);
    const a = Object.values(synth('production', prod)).map(renderSnapshot);
    const b = Object.values(synth('production', prod)).map(renderSnapshot);
    expect(b).toEqual(a);
    for (const text of a) expect(renderSnapshot(JSON.parse(text))).toBe(text);
  });
});
