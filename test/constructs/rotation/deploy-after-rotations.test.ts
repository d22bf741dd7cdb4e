import { Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../../lib/app/synth';
import { parseConfig } from '../../../lib/config/load-config';
import { createHandler } from '../../../lib/rotation/factory';
import { silentLogger } from '../../../lib/rotation/log';
import { BROKERS_ENV, type BrokerTarget, type RotationEvent } from '../../../lib/rotation/types';
import { FakeAmazonMq, FakeClock, FakeSecretsManager } from '../../rotation/fake-aws';
import { minimalConfig } from '../../support/configs';

/**
 * "A deploy after any number of rotations never sets a user's password back to an older value and
 * never changes the password of the user clients are using", proven on the synthesized template:
 * the secrets, seeds, broker Users and function environment come from the template; the rotation
 * is the real runtime (lib/rotation) on the in-memory Secrets Manager and Amazon MQ of
 * test/rotation/fake-aws.ts; a "deploy" resolves every dynamic reference of the broker's Users the
 * way CloudFormation does (the referenced secret's AWSCURRENT) at every moment of every rotation.
 */

const raw: any = minimalConfig();
raw.brokers = [raw.brokers[0]]; // the ActiveMQ broker `amq`
raw.brokers[0].users = [{ username: 'app' }, { username: 'ops', consoleAccess: true, groups: ['admins'] }];
const template = Template.fromStack(synthEnvironment(parseConfig(raw)).stacks.brokers).toJSON();
const resources = template.Resources as Record<string, { Type: string; Properties: any; DependsOn?: string[] }>;
const BROKER_ID = 'b-amq-test';

/** Fake ARN of a secret resource, from its name in the template. */
const secretArn = (logicalId: string) =>
  `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${resources[logicalId].Properties.Name}-AbCdEf`;

/** Resolves the intrinsic functions the brokers stack uses, for the parts the test reads. */
function resolve(value: any): any {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(resolve);
  if ('Ref' in value) {
    const r = resources[value.Ref];
    if (r?.Type === 'AWS::SecretsManager::Secret') return secretArn(value.Ref);
    throw new Error(`unexpected Ref ${value.Ref}`);
  }
  if ('Fn::Join' in value) return (resolve(value['Fn::Join'][1]) as string[]).join(value['Fn::Join'][0]);
  if ('Fn::GetAtt' in value) throw new Error(`unexpected GetAtt ${JSON.stringify(value)}`); // the function must not refer to the ActiveMQ broker
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
}

const broker = Object.values(resources).find((r) => r.Type === 'AWS::AmazonMQ::Broker')!;
const fn = Object.values(resources).find(
  (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === 'mq-platform-test-credential-rotation',
)!;
const targets: BrokerTarget[] = JSON.parse(resolve(fn.Properties.Environment.Variables[BROKERS_ENV]));
/** Each broker user of the template and the secret its Password references. */
const users: Array<{ username: string; secretArn: string }> = broker.Properties.Users.map((u: any) => {
  const ref = resolve(u.Password) as string;
  const m = /^\{\{resolve:secretsmanager:(.+):SecretString:password::\}\}$/.exec(ref);
  if (!m) throw new Error(`not a dynamic reference to AWSCURRENT: ${ref}`);
  return { username: u.Username, secretArn: m[1] };
});
const secrets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret');
const seeds = Object.values(resources).filter((r) => r.Type === 'Custom::MqPlatformSeedBrokerUserSecret');
const appSecrets = targets[0].credentials.map((c) => c.secretArn);

let counter = 0;
function deployNewBroker() {
  const clock = new FakeClock();
  const sm = new FakeSecretsManager();
  const mq = new FakeAmazonMq(clock);
  // CloudFormation creates every secret with a generated password...
  for (const [id, r] of secrets)
    sm.add(secretArn(id), r.Properties.Name, {
      username: JSON.parse(r.Properties.GenerateSecretString.SecretStringTemplate).username,
      password: `generated-${String(++counter).padStart(8, '0')}`,
    });
  const handler = createHandler({
    brokers: targets,
    secretsManager: sm.client,
    mq: mq.client,
    probes: { ACTIVEMQ: mq.probe(BROKER_ID) },
    log: silentLogger,
    newPassword: () => `rotated-${String(++counter).padStart(8, '0')}-xyz`,
    sleep: clock.sleep,
    now: clock.nowFn,
    timing: { pollMs: 5000, gatherMs: 30000, settleMs: 2000 },
  });
  return { clock, sm, mq, handler };
}

type World = ReturnType<typeof deployNewBroker>;

/** The seeds run before the broker (it DependsOn them), through the function itself. */
async function runSeeds(w: World) {
  for (const seed of seeds) {
    const { ServiceToken: _token, ...rest } = seed.Properties;
    const props = resolve(rest);
    await w.handler({
      RequestType: 'Create',
      RequestId: 'r',
      LogicalResourceId: 'Seed',
      StackId: 's',
      ResponseURL: '',
      ServiceToken: 'x',
      ResourceType: seed.Type,
      ResourceProperties: props,
    } as any);
  }
}

/** What CloudFormation would write for each user if it applied Users now. */
const resolvedPasswords = (w: World) => Object.fromEntries(users.map((u) => [u.username, w.sm.value(u.secretArn)!.password]));

/** The two properties of the issue, checked at one moment. */
function expectDeploySafe(w: World, when: string) {
  const deploy = resolvedPasswords(w);
  const inUse = new Set(appSecrets.map((a) => w.sm.value(a)!.username));
  for (const u of users) {
    // Never an older value: what a deploy writes is the broker's newest value for that user (applied or pending).
    expect({ when, user: u.username, password: deploy[u.username] }).toEqual({
      when,
      user: u.username,
      password: w.mq.latestPassword(BROKER_ID, u.username),
    });
    // Never a change to a user clients use: it is the password that user has on the broker, with nothing pending.
    if (inUse.has(u.username)) {
      const applied = w.mq.brokers.get(BROKER_ID)!.users.get(u.username)?.password;
      expect({ when, user: u.username, password: deploy[u.username] }).toEqual({ when, user: u.username, password: applied });
    }
  }
}

describe('a deploy after any number of rotations (synthesized template + rotation runtime)', () => {
  test('the template gives the function what it needs and the broker both users of every pair', () => {
    expect(users.map((u) => u.username)).toEqual(['app', 'app_clone', 'ops', 'ops_clone']);
    expect(targets).toEqual([
      expect.objectContaining({ engine: 'ACTIVEMQ', brokerName: 'amq-test', allowReboot: true, credentials: expect.any(Array) }),
    ]);
    expect(seeds).toHaveLength(2);
  });

  test('new broker: seeds, creation, then 6 rotations of each pair; at every step a deploy is harmless', async () => {
    const w = deployNewBroker();
    await runSeeds(w);
    // CloudFormation creates the broker with what the template resolves to.
    w.mq.addBroker(BROKER_ID, resolvedPasswords(w), 'amq-test');
    // Clients log in with the client secrets right away.
    for (const a of appSecrets) {
      const cur = w.sm.value(a)!;
      expect(w.mq.activePassword(BROKER_ID, cur.username)).toBe(cur.password);
    }
    expectDeploySafe(w, 'created');
    for (let cycle = 1; cycle <= 6; cycle++) {
      for (const a of appSecrets) {
        await w.sm.rotate(a, (e: RotationEvent) => w.handler(e) as Promise<void>, {
          between: (step) => expectDeploySafe(w, `cycle ${cycle} ${a} before ${step}`),
        });
        expectDeploySafe(w, `cycle ${cycle} ${a} finished`);
      }
      // The broker-user secrets' own schedules (a re-stamp) change nothing a deploy reads.
      for (const u of users) await w.sm.rotate(u.secretArn, (e: RotationEvent) => w.handler(e) as Promise<void>);
      expectDeploySafe(w, `cycle ${cycle} re-stamped`);
    }
    // And the pairs did alternate: six rotations leave each credential back on its A user with a new password.
    for (const a of appSecrets) {
      const cur = w.sm.value(a)!;
      expect(cur.password).toMatch(/^rotated-/);
      expect(w.mq.activePassword(BROKER_ID, cur.username)).toBe(cur.password);
    }
  });

  test('migrated broker: single-user secrets in use, then the alternating template is deployed and rotated', async () => {
    const w = deployNewBroker();
    // Before: the broker has only the A users, with the client secrets' passwords (the old template).
    const before = Object.fromEntries(appSecrets.map((a) => [w.sm.value(a)!.username, w.sm.value(a)!.password]));
    w.mq.addBroker(BROKER_ID, before, 'amq-test');
    // The deploy: seeds first (DependsOn), then the broker update; A users keep their password,
    // the _clone users are created (pending until a reboot, as Amazon MQ does).
    await runSeeds(w);
    const deploy = resolvedPasswords(w);
    for (const [user, password] of Object.entries(before)) expect(deploy[user]).toBe(password);
    const b = w.mq.brokers.get(BROKER_ID)!;
    for (const [user, password] of Object.entries(deploy)) if (!b.users.has(user)) b.pending.set(user, { password }); // CreateUser, pending
    expectDeploySafe(w, 'migrated');
    for (let cycle = 1; cycle <= 3; cycle++) {
      for (const a of appSecrets) {
        await w.sm.rotate(a, (e: RotationEvent) => w.handler(e) as Promise<void>, {
          between: (step) => {
            // No client refused: the AWSCURRENT user logs in whenever the broker runs (undefined: rebooting).
            for (const c of appSecrets) {
              const cur = w.sm.value(c)!;
              expect([undefined, cur.password]).toContain(w.mq.activePassword(BROKER_ID, cur.username));
            }
            expectDeploySafe(w, `migrated, cycle ${cycle} ${a} before ${step}`);
          },
        });
      }
    }
    for (const a of appSecrets) expect(w.sm.value(a)!.password).toMatch(/^rotated-/);
  });
});
