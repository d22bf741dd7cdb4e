import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { EnvironmentStacks } from '../../lib/app/mq-platform-app';
import { parseConfig } from '../../lib/config/load-config';
import type { Baseline } from '../../lib/review/baseline';
import { renderReview, reviewEnvironment } from '../../lib/review/render-review';
import { fixtureBaseline, guardFixture, synthAgainst } from '../support/guard-fixture';

/**
 * The guard's table: one row per destructive or lock-out change kind. Each row asserts that the
 * protected fixture's synth fails with a message naming the config field and the resource, and
 * that the unprotected fixture (or, for the protection itself, the explicit unlock) synthesizes
 * with the review naming the change. README "Change review" lists the same kinds.
 */
type Mutable = any; // configs and baselines are edited freely in these tests
const REASON = 'agreed with the owners, clients drained first';

function amq<T extends IConstruct>(stacks: EnvironmentStacks, type: new (...a: any[]) => T, pathPart = ''): T {
  const found = stacks.brokers.node
    .findAll()
    .find((c) => c instanceof type && c.node.path.includes('/amq') && c.node.path.includes(pathPart));
  if (!found) throw new Error(`no ${type.name} of amq${pathPart}`);
  return found as T;
}
const override =
  <T extends IConstruct>(type: new (...a: any[]) => T, path: string, value: unknown, part = '') =>
  (s: EnvironmentStacks) =>
    (amq(s, type, part) as unknown as { addPropertyOverride(p: string, v: unknown): void }).addPropertyOverride(path, value);

interface Row {
  /** The change kind, as README's table names it. */
  readonly kind: string;
  /** A config change (both fixtures). */
  readonly edit?: (c: Mutable) => void;
  /** A code change (an override on the synthesized constructs). */
  readonly tweak?: (s: EnvironmentStacks) => void;
  /** A change of the committed baseline (what the snapshots say is deployed). */
  readonly base?: (b: Baseline) => Baseline;
  /** The protected synth's message must match all of these (config field and resource). */
  readonly refused: readonly RegExp[];
  /** The review of the unprotected fixture (or of the unlocked change) must contain these. */
  readonly reviewed: readonly (string | RegExp)[];
  /** Protection rows: the unlock that lets it through; the other rows use the unprotected fixture. */
  readonly unlock?: string;
}

const renameStack =
  (from: string, to: string) =>
  (b: Baseline): Baseline => {
    const templates: Mutable = { ...b.templates, [to]: b.templates[from] };
    delete templates[from];
    return { ...b, templates };
  };

const ROWS: readonly Row[] = [
  {
    kind: 'protection lowered (protected true → false)',
    edit: (c) => (c.protected = false),
    refused: [/guarded: protected: lowers the protection of guarded/, /"unlock": \[\{ "change": "protection"/],
    unlock: 'protection',
    reviewed: ['!! PROTECTION protected: lowers the protection of guarded', 'unlocked by unlock[0]'],
  },
  {
    kind: 'environment renamed',
    edit: (c) => (c.environment = 'guarded2'),
    refused: [/guarded2: environment: renames protected environment guarded to guarded2/, /"unlock": \[\{ "change": "environment-name"/],
    unlock: 'environment-name',
    reviewed: ['!! PROTECTION environment: renames protected environment guarded to guarded2'],
  },
  {
    kind: 'snapshots removed',
    base: (b) => ({ ...b, snapshotsInWorkingTree: false }),
    refused: [
      /test\/snapshots\/guarded\/: removes the committed snapshots of protected environment guarded/,
      /"unlock": \[\{ "change": "snapshots"/,
    ],
    unlock: 'snapshots',
    reviewed: ['!! PROTECTION test/snapshots/guarded/: removes the committed snapshots'],
  },
  {
    kind: 'broker renamed',
    edit: (c) => (c.brokers[0].name = 'amq2'),
    refused: [
      /broker amq-guarded \(amq[0-9A-F]{8}\) will be removed from the stack/,
      /"allowReplacement": \[\{ "broker": "amq", "property": "removal"/,
    ],
    reviewed: [/!! REMOVE broker amq-guarded \(amq[0-9A-F]{8}\) will be deleted/],
  },
  {
    kind: 'deployment mode',
    edit: (c) => Object.assign(c.brokers[0], { deploymentMode: 'SINGLE_INSTANCE', rotation: { acceptRebootDowntime: true } }),
    refused: [
      /broker amq-guarded \(amq[0-9A-F]{8}\) will be deleted and recreated/,
      /because: DeploymentMode/,
      /"allowReplacement": \[\{ "broker": "amq", "property": "DeploymentMode"/,
    ],
    reviewed: [
      /!! REPLACE broker amq-guarded \(amq[0-9A-F]{8}\) will be deleted and recreated/,
      'because DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" → "SINGLE_INSTANCE"',
    ],
  },
  {
    kind: 'storage type',
    // EBS is single-instance only, so the mode changes with it.
    edit: (c) =>
      Object.assign(c.brokers[0], { deploymentMode: 'SINGLE_INSTANCE', storageType: 'EBS', rotation: { acceptRebootDowntime: true } }),
    refused: [/broker amq-guarded/, /because: [^\n]*StorageType: "EFS" → "EBS"/, /"broker": "amq", "property": "StorageType"/],
    reviewed: [/!! REPLACE broker amq-guarded/, /because [^\n]*StorageType: "EFS" → "EBS"/],
  },
  {
    kind: 'engine',
    // An ActiveMQ broker has no administrator: every user is an application credential.
    edit: (c) =>
      Object.assign(c.brokers[1], {
        administrator: undefined,
        engine: 'ACTIVEMQ',
        engineVersion: '5.19',
        deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
        instanceType: 'mq.m5.large',
      }),
    refused: [
      /broker rmq-guarded \(rmq[0-9A-F]{8}\) will be deleted and recreated/,
      /EngineType: "RABBITMQ" → "ACTIVEMQ"/,
      /"broker": "rmq", "property": "EngineType"/,
    ],
    reviewed: [/!! REPLACE broker rmq-guarded/],
  },
  {
    kind: 'network (VPC CIDR, subnets)',
    edit: (c) => (c.network.cidr = '10.50.0.0/16'),
    refused: [
      /VPC 10\.50\.0\.0\/16 \(NetworkVpc[0-9A-F]{8}\) will be deleted and recreated/,
      /"logicalId": "NetworkVpc[0-9A-F]{8}", "property": "CidrBlock"/,
      /subnet [^\n]*will be deleted and recreated/,
    ],
    reviewed: [/!! REPLACE VPC 10\.50\.0\.0\/16/, /!! REPLACE broker amq-guarded[^\n]*\n\s+because SubnetIds/],
  },
  {
    kind: 'broker removed',
    edit: (c) => c.brokers.splice(1, 1),
    refused: [
      /broker rmq-guarded \(rmq[0-9A-F]{8}\) will be removed/,
      /secret mq-platform\/guarded\/rmq\/app/,
      /"broker": "rmq", "property": "removal"/,
    ],
    reviewed: [/!! REMOVE broker rmq-guarded/],
  },
  {
    kind: 'broker user removed',
    edit: (c) => c.brokers[0].users.splice(1, 1),
    refused: [
      /secret mq-platform\/guarded\/amq\/ops \(amq[A-Za-z0-9]+\) will be removed/,
      /"logicalId": "amq[A-Za-z0-9]+", "property": "removal"/,
      /broker amq-guarded[^\n]*locks clients out: a broker user is removed[^\n]*\(ops, ops_clone\)/,
      /"broker": "amq", "property": "Users"/,
    ],
    reviewed: [/!! REMOVE secret mq-platform\/guarded\/amq\/ops/, /!! LOCK-OUT broker amq-guarded[^\n]*\(ops, ops_clone\)/],
  },
  {
    kind: 'construct id (logical id) change',
    tweak: (s) => amq(s, CfnBroker).overrideLogicalId('amqRenamed'),
    refused: [
      /broker amq-guarded \(amq[0-9A-F]{8}\) will be deleted and recreated as amqRenamed/,
      /"broker": "amq", "property": "removal"/,
    ],
    reviewed: [/!! REMOVE broker amq-guarded \(amq[0-9A-F]{8}\) will be deleted and recreated as amqRenamed/],
  },
  {
    kind: 'stack name change',
    base: renameStack('MqPlatform-guarded-Brokers', 'MqPlatform-guarded-Brokers-v1'),
    refused: [/MqPlatform-guarded-Brokers-v1: broker amq-guarded[^\n]*will be removed/, /"broker": "amq", "property": "removal"/],
    reviewed: ['Stack MqPlatform-guarded-Brokers-v1 is no longer synthesized', /!! REMOVE broker amq-guarded/],
  },
  {
    kind: 'secret regenerated (GenerateSecretString: length, excluded characters, template, key)',
    tweak: override(CfnSecret, 'GenerateSecretString.PasswordLength', 40, 'Credentials-app'),
    refused: [
      /secret mq-platform\/guarded\/amq\/app \(amq[A-Za-z0-9]+\) locks clients out: CloudFormation generates a new secret value[^\n]*every client of broker amq is refused/,
      /"logicalId": "amq[A-Za-z0-9]+", "property": "GenerateSecretString"/,
    ],
    reviewed: [/!! LOCK-OUT secret mq-platform\/guarded\/amq\/app/],
  },
  {
    kind: 'secret re-encrypted (KmsKeyId)',
    tweak: override(CfnSecret, 'KmsKeyId', 'alias/other', 'Credentials-app'),
    refused: [/secret mq-platform\/guarded\/amq\/app[^\n]*re-encrypted under another key/, /"property": "KmsKeyId"/],
    reviewed: [/!! LOCK-OUT secret mq-platform\/guarded\/amq\/app/],
  },
  {
    kind: 'KMS key disabled (Enabled: false)',
    tweak: override(CfnKey, 'Enabled', false),
    refused: [/KMS key of broker amq \(amq[A-Za-z0-9]+\) locks clients out: the key is disabled/, /"property": "Enabled"/],
    reviewed: [/!! LOCK-OUT KMS key of broker amq/],
  },
  {
    kind: 'KMS key deletion window (PendingWindowInDays)',
    tweak: override(CfnKey, 'PendingWindowInDays', 7),
    refused: [/KMS key of broker amq[^\n]*how soon a deleted key is gone/, /"property": "PendingWindowInDays"/],
    reviewed: [/!! LOCK-OUT KMS key of broker amq/],
  },
];

let protectedBase: Baseline;
let openBase: Baseline;
beforeAll(() => {
  protectedBase = fixtureBaseline(true);
  openBase = fixtureBaseline(false);
}, 120_000);

describe.each(ROWS.map((r) => [r.kind, r] as const))('%s', (_kind, row) => {
  test('the protected fixture refuses it at synth, naming the config field and the resource', () => {
    const base = row.base ? row.base(protectedBase) : protectedBase;
    let message = '';
    try {
      synthAgainst(guardFixture(true, row.edit), base, row.tweak);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const re of row.refused) expect(message).toMatch(re);
  }, 60_000);

  test(
    row.unlock
      ? `with unlock "${row.unlock}" it synthesizes and the review names it`
      : 'the unprotected fixture synthesizes it and the review names it',
    () => {
      const base = row.base ? row.base(row.unlock ? protectedBase : openBase) : row.unlock ? protectedBase : openBase;
      const raw = guardFixture(!row.unlock || row.unlock !== 'protection', (c) => {
        row.edit?.(c);
        if (row.unlock) c.unlock = [{ change: row.unlock, reason: REASON }];
        if (!row.unlock) c.protected = false;
      });
      const head = synthAgainst(raw, base, row.tweak);
      const text = renderReview([reviewEnvironment(parseConfig(raw), base, head)], 'text');
      for (const r of row.reviewed) {
        if (typeof r === 'string') expect(text).toContain(r);
        else expect(text).toMatch(r);
      }
    },
    60_000,
  );
});

describe('allowances and unlocks', () => {
  test('a stale allowance fails the protected synth', () => {
    expect(() =>
      synthAgainst(
        guardFixture(true, (c) => (c.allowReplacement = [{ broker: 'amq', property: 'DeploymentMode', reason: REASON }])),
        protectedBase,
      ),
    ).toThrow(/allowReplacement\[0\] \(broker amq, property DeploymentMode\) allows nothing in this change: guarded is protected/);
  }, 60_000);

  test('a stale unlock fails synth', () => {
    expect(() =>
      synthAgainst(
        guardFixture(true, (c) => (c.unlock = [{ change: 'snapshots', reason: REASON }])),
        protectedBase,
      ),
    ).toThrow(/unlock\[0\] \(snapshots\) unlocks nothing/);
  }, 60_000);

  test('allowances for that one resource and each of its replacing properties let the change through; one property is not enough', () => {
    // Single instance also changes SubnetIds (one subnet instead of two): both properties replace.
    const edit = (allow: Mutable[]) => (c: Mutable) => {
      Object.assign(c.brokers[0], { deploymentMode: 'SINGLE_INSTANCE', rotation: { acceptRebootDowntime: true } });
      c.allowReplacement = allow;
    };
    const mode = { broker: 'amq', property: 'DeploymentMode', reason: REASON };
    expect(() => synthAgainst(guardFixture(true, edit([mode])), protectedBase)).toThrow(
      /"allowReplacement": \[\{ "broker": "amq", "property": "SubnetIds"/,
    );
    expect(() => synthAgainst(guardFixture(true, edit([mode, { ...mode, property: 'SubnetIds' }])), protectedBase)).not.toThrow();
  }, 60_000);

  test('flag off, then back on: the committed baseline still guards the change', () => {
    // Snapshots regenerated with "protected": false are not the baseline: the merge base is.
    const change = (c: Mutable) =>
      Object.assign(c.brokers[0], { deploymentMode: 'SINGLE_INSTANCE', rotation: { acceptRebootDowntime: true } });
    expect(() => synthAgainst(guardFixture(false, change), protectedBase)).toThrow(/lowers the protection of guarded/);
    expect(() => synthAgainst(guardFixture(true, change), protectedBase)).toThrow(/because: DeploymentMode/);
  }, 60_000);
});
