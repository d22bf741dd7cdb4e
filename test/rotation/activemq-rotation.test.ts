import { CreateTagsCommand, DescribeUserCommand, ListBrokersCommand, RebootBrokerCommand, UpdateUserCommand } from '@aws-sdk/client-mq';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { createRotator } from '../../lib/rotation/factory';
import { silentLogger } from '../../lib/rotation/log';
import { BrokerUnreachableError } from '../../lib/rotation/probe';
import { parseLease } from '../../lib/rotation/reboot-lease';
import { REBOOT_LEASE_TAG, type BrokerTarget, type RotationEvent } from '../../lib/rotation/types';
import { FakeAmazonMq, FakeClock, FakeSecretsManager } from './fake-aws';

const BROKER = 'b-orders';
const APPS = ['orders', 'billing'] as const;
const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111111111111:secret:mq-platform/prod/orders/${name}-AbCdEf`;
const buArn = (user: string) => arn(`broker-users/${user}`);

let passwords = 0;
function setup(options: { deploymentMode?: BrokerTarget['deploymentMode']; allowReboot?: boolean } = {}) {
  const clock = new FakeClock();
  const sm = new FakeSecretsManager();
  const mq = new FakeAmazonMq(clock);
  const initial: Record<string, string> = {};
  for (const app of APPS) {
    initial[app] = `${app}-initial-password-0001`;
    initial[`${app}_clone`] = `${app}-clone-generated-0001`;
    sm.add(arn(app), `mq-platform/prod/orders/${app}`, { username: app, password: initial[app] });
    sm.add(buArn(app), `mq-platform/prod/orders/broker-users/${app}`, { username: app, password: initial[app] });
    sm.add(buArn(`${app}_clone`), `mq-platform/prod/orders/broker-users/${app}_clone`, {
      username: `${app}_clone`,
      password: initial[`${app}_clone`],
    });
  }
  const b = mq.addBroker(BROKER, initial);
  let unreachable = false;
  // As the construct builds it for ActiveMQ: no broker reference (the broker depends on the function), found by name.
  const target: BrokerTarget = {
    engine: 'ACTIVEMQ',
    brokerName: b.name,
    deploymentMode: options.deploymentMode ?? 'ACTIVE_STANDBY_MULTI_AZ',
    allowReboot: options.allowReboot,
    credentials: APPS.map((app) => ({
      secretArn: arn(app),
      username: app,
      partnerUsername: `${app}_clone`,
      brokerUserSecretArns: { [app]: buArn(app), [`${app}_clone`]: buArn(`${app}_clone`) },
    })),
  };
  const endpointsProbed: string[][] = [];
  const probe = mq.probe(BROKER, () => unreachable);
  const rotator = createRotator({
    brokers: [target],
    secretsManager: sm.client,
    mq: mq.client,
    probes: {
      ACTIVEMQ: (endpoints, creds) => {
        endpointsProbed.push([...endpoints]);
        return probe(endpoints, creds);
      },
    },
    log: silentLogger,
    newPassword: () => `new-password-${String(++passwords).padStart(6, '0')}-xyz`,
    sleep: clock.sleep,
    now: clock.nowFn,
    timing: { pollMs: 5000, gatherMs: 30000, settleMs: 2000 },
  });
  const handle = (e: RotationEvent) => rotator.handle(e);
  /** The invariant clients rely on: the AWSCURRENT user and password log in whenever the broker runs. */
  const currentLogsIn = (app: string) => {
    const cur = sm.value(arn(app))!;
    const active = mq.activePassword(BROKER, cur.username);
    return active === undefined || active === cur.password;
  };
  return { clock, sm, mq, target, handle, setUnreachable: (v: boolean) => (unreachable = v), currentLogsIn, endpointsProbed };
}

describe('ActiveMQ alternating-users rotation', () => {
  test('a rotation changes only the user clients are not using, reboots once, and flips AWSCURRENT', async () => {
    const w = setup();
    const seen: boolean[] = [];
    await w.sm.rotate(arn('orders'), w.handle, { between: () => void seen.push(w.currentLogsIn('orders')) });
    const cur = w.sm.value(arn('orders'))!;
    expect(cur.username).toBe('orders_clone');
    expect(w.mq.activePassword(BROKER, 'orders_clone')).toBe(cur.password);
    expect(w.mq.activePassword(BROKER, 'orders')).toBe('orders-initial-password-0001');
    expect(w.sm.value(buArn('orders_clone'))!.password).toBe(cur.password);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    expect(seen).toEqual([true, true, true, true]);

    // The next rotation alternates back to the A user.
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.sm.value(arn('orders'))!.username).toBe('orders');
    expect(w.mq.activePassword(BROKER, 'orders')).toBe(w.sm.value(arn('orders'))!.password);
  });

  test('the broker is found by name and its STOMP+SSL endpoints come from DescribeBroker', async () => {
    const w = setup();
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.endpointsProbed[0]).toEqual([
      'stomp+ssl://b-orders-1.mq.eu-west-1.on.aws:61614',
      'stomp+ssl://b-orders-2.mq.eu-west-1.on.aws:61614',
    ]);
    expect(w.mq.mock.commandCalls(ListBrokersCommand)).toHaveLength(1); // cached while the function is warm
  });

  test("a broker-user secret's own schedule re-stamps its value and never brings an older password back", async () => {
    const w = setup();
    const before = w.sm.value(buArn('orders_clone'));
    await w.sm.rotate(buArn('orders_clone'), w.handle);
    expect(w.sm.value(buArn('orders_clone'))).toEqual(before);
    expect(w.mq.mock.commandCalls(UpdateUserCommand)).toHaveLength(0);

    // The pair rotates between the re-stamp's createSecret and finishSecret: the newer password stays.
    const restamp = w.sm.startRotation(buArn('orders_clone'));
    await w.handle(w.sm.event(buArn('orders_clone'), restamp, 'createSecret'));
    await w.sm.rotate(arn('orders'), w.handle);
    const newer = w.sm.value(buArn('orders_clone'))!.password;
    for (const step of ['setSecret', 'testSecret', 'finishSecret'] as const)
      await w.handle(w.sm.event(buArn('orders_clone'), restamp, step));
    expect(w.sm.value(buArn('orders_clone'))!.password).toBe(newer);
    expect(w.sm.value(buArn('orders_clone'), 'AWSPENDING')).toBeUndefined();
    expect(w.mq.latestPassword(BROKER, 'orders_clone')).toBe(newer);
  });

  test("a pair whose rotation starts while the batch prepares it ends with the broker holding its broker-user secret's password", async () => {
    const w = setup();
    // While the batch records billing_clone, billing's own setSecret writes (and records) another password.
    let once = true;
    w.mq.beforeUpdateUser = (i) => {
      if (i.Username !== 'billing_clone' || !once) return;
      once = false;
      w.sm.putCurrent(buArn('billing_clone'), { username: 'billing_clone', password: 'sibling-password-000001' });
      w.mq.brokers.get(BROKER)!.pending.set('billing_clone', { password: 'sibling-password-000001' });
    };
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.sm.value(buArn('billing_clone'))!.password).toBe('sibling-password-000001');
    expect(w.mq.latestPassword(BROKER, 'billing_clone')).toBe('sibling-password-000001');
  });

  test('every step run twice: same result, still one reboot', async () => {
    const w = setup();
    await w.sm.rotate(arn('orders'), w.handle, { times: 2 });
    expect(w.sm.value(arn('orders'))!.username).toBe('orders_clone');
    expect(w.currentLogsIn('orders')).toBe(true);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('RebootBroker refused once: retried, one reboot', async () => {
    const w = setup();
    w.mq.refuseReboots = 1;
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    expect(w.currentLogsIn('orders')).toBe(true);
  });

  test('RebootBroker accepted but its answer lost: taken as requested, never sent again, one reboot', async () => {
    const w = setup();
    w.mq.loseRebootAnswers = 1;
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    expect(w.mq.mock.commandCalls(RebootBrokerCommand)).toHaveLength(1);
    expect(w.currentLogsIn('orders')).toBe(true);
  });

  test('RebootBroker timed out and was not accepted: the step fails without a second request; the rerun reboots once', async () => {
    const w = setup();
    w.mq.timeouts.set('RebootBroker', 1);
    const token = w.sm.startRotation(arn('orders'));
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(arn('orders'), token, step));
    await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).rejects.toThrow(/not rebooting a second time/);
    expect(w.mq.mock.commandCalls(RebootBrokerCommand)).toHaveLength(1);
    expect(w.currentLogsIn('orders')).toBe(true);
    await w.handle(w.sm.event(arn('orders'), token, 'testSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'finishSecret'));
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('an API timeout fails the step cleanly; the rerun finishes with one reboot', async () => {
    const w = setup();
    const token = w.sm.startRotation(arn('orders'));
    await w.handle(w.sm.event(arn('orders'), token, 'createSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'setSecret'));
    w.mq.timeouts.set('DescribeBroker', 1);
    await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).rejects.toThrow(/timed out/);
    expect(w.currentLogsIn('orders')).toBe(true);
    await w.handle(w.sm.event(arn('orders'), token, 'testSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'finishSecret'));
    expect(w.sm.value(arn('orders'))!.username).toBe('orders_clone');
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('an API timeout right after RebootBroker was accepted: the rerun waits for that reboot instead of rebooting again', async () => {
    const w = setup();
    const token = w.sm.startRotation(arn('orders'));
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(arn('orders'), token, step));
    w.mq.rebootStartDelayMs = 30000;
    // The first Amazon MQ call after the accepted RebootBroker times out: the invocation dies there.
    let failNext = false;
    w.mq.afterReboot = () => (failNext = true);
    w.mq.failWhen = () => {
      const fail = failNext;
      failNext = false;
      return fail;
    };
    await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).rejects.toThrow(/timed out/);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    await w.handle(w.sm.event(arn('orders'), token, 'testSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'finishSecret'));
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    expect(w.currentLogsIn('orders')).toBe(true);
  });

  test('probe cannot connect in setSecret: the step fails and nothing changes on the broker', async () => {
    const w = setup();
    const token = w.sm.startRotation(arn('orders'));
    await w.handle(w.sm.event(arn('orders'), token, 'createSecret'));
    w.setUnreachable(true);
    await expect(w.handle(w.sm.event(arn('orders'), token, 'setSecret'))).rejects.toBeInstanceOf(BrokerUnreachableError);
    expect(w.mq.mock.commandCalls(UpdateUserCommand)).toHaveLength(0);
    expect(w.sm.value(buArn('orders_clone'))!.password).toBe('orders-clone-generated-0001');
    w.setUnreachable(false);
    await w.handle(w.sm.event(arn('orders'), token, 'setSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'testSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'finishSecret'));
    expect(w.currentLogsIn('orders')).toBe(true);
  });

  test('probe cannot connect in testSecret: "could not connect", not a wrong password; the rerun needs no second reboot', async () => {
    const w = setup();
    const token = w.sm.startRotation(arn('orders'));
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(arn('orders'), token, step));
    w.setUnreachable(true);
    await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).rejects.toThrow(/could not connect/);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    w.setUnreachable(false);
    const updates = w.mq.mock.commandCalls(UpdateUserCommand).length;
    await w.handle(w.sm.event(arn('orders'), token, 'setSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'testSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'finishSecret'));
    expect(w.mq.mock.commandCalls(UpdateUserCommand)).toHaveLength(updates);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('two users of one broker rotating at the same moment share one reboot', async () => {
    const w = setup();
    const tokens = APPS.map((app) => w.sm.startRotation(arn(app)));
    for (const step of ['createSecret', 'setSecret'] as const) {
      await Promise.all(APPS.map((app, i) => w.handle(w.sm.event(arn(app), tokens[i], step))));
    }
    await Promise.all(APPS.map((app, i) => w.handle(w.sm.event(arn(app), tokens[i], 'testSecret'))));
    await Promise.all(APPS.map((app, i) => w.handle(w.sm.event(arn(app), tokens[i], 'finishSecret'))));
    for (const app of APPS) {
      expect(w.sm.value(arn(app))!.username).toBe(`${app}_clone`);
      expect(w.currentLogsIn(app)).toBe(true);
    }
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('two rotations that both find no lease and both write one: only the last writer reboots', async () => {
    const w = setup();
    w.mq.tagVisibilityMs = 1000; // below the 2 s settle time of this setup
    const tokens = APPS.map((app) => w.sm.startRotation(arn(app)));
    for (const step of ['createSecret', 'setSecret'] as const) {
      for (const [i, app] of APPS.entries()) await w.handle(w.sm.event(arn(app), tokens[i], step));
    }
    await Promise.all(APPS.map((app, i) => w.handle(w.sm.event(arn(app), tokens[i], 'testSecret'))));
    for (const [i, app] of APPS.entries()) await w.handle(w.sm.event(arn(app), tokens[i], 'finishSecret'));
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    // Both opened a lease (two owners written), one read its own back and rebooted.
    const owners = new Set(
      w.mq.mock.commandCalls(CreateTagsCommand).map((c) => parseLease(c.args[0].input.Tags?.[REBOOT_LEASE_TAG])?.owner),
    );
    expect(owners).toEqual(new Set(tokens));
    for (const app of APPS) expect(w.currentLogsIn(app)).toBe(true);
  });

  test('a second pair rotating later in the window finds its password prepared by the batch: no second reboot', async () => {
    const w = setup();
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    w.clock.now += 40 * 60000;
    await w.sm.rotate(arn('billing'), w.handle);
    expect(w.sm.value(arn('billing'))!.username).toBe('billing_clone');
    expect(w.currentLogsIn('billing')).toBe(true);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    // The next cycle prepares afresh: a prepared password is only for the AWSCURRENT version it was prepared for.
    w.clock.now += 30 * 24 * 3600000;
    await w.sm.rotate(arn('billing'), w.handle);
    expect(w.sm.value(arn('billing'))!.username).toBe('billing');
    expect(w.mq.rebootsBy(BROKER)).toBe(2);
  });

  test('a maintenance reboot in between applies the change: no reboot of our own', async () => {
    const w = setup();
    await w.sm.rotate(arn('orders'), w.handle, {
      between: (step) => {
        if (step === 'setSecret') w.mq.maintenanceReboot(BROKER);
      },
    });
    expect(w.sm.value(arn('orders'))!.username).toBe('orders_clone');
    expect(w.mq.rebootsBy(BROKER, 'api')).toBe(0);
    expect(w.mq.rebootsBy(BROKER, 'maintenance')).toBe(1);
  });

  test('a maintenance reboot that started before our change is not taken for ours', async () => {
    const w = setup();
    const token = w.sm.startRotation(arn('orders'));
    await w.handle(w.sm.event(arn('orders'), token, 'createSecret'));
    w.mq.maintenanceReboot(BROKER);
    w.mq.tick();
    await w.handle(w.sm.event(arn('orders'), token, 'setSecret')); // recorded while the maintenance reboot runs
    await w.handle(w.sm.event(arn('orders'), token, 'testSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'finishSecret'));
    expect(w.mq.rebootsBy(BROKER, 'maintenance')).toBe(1);
    expect(w.mq.rebootsBy(BROKER, 'api')).toBe(1);
    expect(w.currentLogsIn('orders')).toBe(true);
  });

  test('RebootBroker answers before the reboot starts: RUNNING right after it is not taken as done', async () => {
    const w = setup();
    w.mq.rebootStartDelayMs = 20000;
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    expect(w.currentLogsIn('orders')).toBe(true);
  });

  test('single instance without acceptRebootDowntime: never reboots, fails cleanly until the maintenance window', async () => {
    const w = setup({ deploymentMode: 'SINGLE_INSTANCE' });
    const token = w.sm.startRotation(arn('orders'));
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(arn('orders'), token, step));
    await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).rejects.toThrow(/maintenance window/);
    expect(w.mq.rebootsBy(BROKER)).toBe(0);
    expect(w.currentLogsIn('orders')).toBe(true);
    w.mq.maintenanceReboot(BROKER);
    w.clock.now += 120000;
    await w.handle(w.sm.event(arn('orders'), token, 'testSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'finishSecret'));
    expect(w.sm.value(arn('orders'))!.username).toBe('orders_clone');
  });

  test('single instance with acceptRebootDowntime reboots', async () => {
    const w = setup({ deploymentMode: 'SINGLE_INSTANCE', allowReboot: true });
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('a lease abandoned by another rotation is taken over', async () => {
    const w = setup();
    const b = w.mq.brokers.get(BROKER)!;
    b.tags[REBOOT_LEASE_TAG] = `v1/${w.clock.now - 3600000}/${w.clock.now - 3500000}/someone-else/0`;
    await w.sm.rotate(arn('orders'), w.handle);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    expect(parseLease(b.tags[REBOOT_LEASE_TAG])?.rebootedMs).toBeGreaterThan(0);
  });

  test("waiting on another rotation's lease polls at pollMs, never in a busy loop", async () => {
    const w = setup();
    const b = w.mq.brokers.get(BROKER)!;
    // Another owner past its reboot time but not yet stale (it may still reboot).
    b.tags[REBOOT_LEASE_TAG] = `v1/${w.clock.now - 60000}/${w.clock.now - 1000}/someone-else/0`;
    const start = w.clock.now;
    await w.sm.rotate(arn('orders'), w.handle);
    const elapsed = w.clock.now - start;
    expect(elapsed).toBeGreaterThanOrEqual(4 * 60000); // waited until the lease went stale, then took it
    expect(w.mq.mock.commandCalls(DescribeUserCommand).length).toBeLessThan(elapsed / 5000 + 10);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('an owner whose change a maintenance reboot applied closes its lease; a waiting rotation proceeds at once', async () => {
    const w = setup();
    const b = w.mq.brokers.get(BROKER)!;
    const t1 = w.sm.startRotation(arn('orders'));
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(arn('orders'), t1, step));
    // orders takes the lease and starts gathering ...
    b.tags[REBOOT_LEASE_TAG] = `v1/${w.clock.now}/${w.clock.now + 30000}/${t1}/0`;
    // ... a maintenance reboot applies orders' change, then billing records its own (still pending).
    w.mq.maintenanceReboot(BROKER);
    w.mq.tick();
    w.clock.now += 61000;
    w.mq.tick();
    await w.handle(w.sm.event(arn('orders'), t1, 'testSecret'));
    expect(parseLease(b.tags[REBOOT_LEASE_TAG])?.closed).toBe(true);
    const t2 = w.sm.startRotation(arn('billing'));
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(arn('billing'), t2, step));
    const before = w.clock.now;
    await w.handle(w.sm.event(arn('billing'), t2, 'testSecret'));
    expect(w.clock.now - before).toBeLessThan(3 * 60000);
    expect(w.mq.rebootsBy(BROKER, 'api')).toBe(1);
  });

  test('a deploy after any number of rotations resolves, for every broker user, the password the broker has or will have', async () => {
    const w = setup();
    for (let i = 0; i < 5; i++) {
      for (const app of APPS) await w.sm.rotate(arn(app), w.handle);
      w.clock.now += 7 * 24 * 3600000;
    }
    for (const app of APPS) {
      for (const user of [app, `${app}_clone`]) {
        // What the broker resource's Users reference (AWSCURRENT of the broker-user secret).
        expect(w.sm.value(buArn(user))!.password).toBe(w.mq.latestPassword(BROKER, user));
      }
      const cur = w.sm.value(arn(app))!;
      expect(w.sm.value(buArn(cur.username))!.password).toBe(cur.password);
    }
  });

  test('the broker-user secret is written before UpdateUser, so a deploy in between sets only the newest password', async () => {
    const w = setup();
    const token = w.sm.startRotation(arn('orders'));
    await w.handle(w.sm.event(arn('orders'), token, 'createSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'setSecret'));
    const put = w.sm.mock.commandCalls(PutSecretValueCommand).find((c) => c.args[0].input.SecretId === buArn('orders_clone'))!;
    const update = w.mq.mock.commandCalls(UpdateUserCommand)[0];
    // sinon numbers calls across all spies.
    expect((put as unknown as { callId: number }).callId).toBeLessThan((update as unknown as { callId: number }).callId);
    expect(w.sm.value(buArn('orders_clone'))!.password).toBe(w.mq.latestPassword(BROKER, 'orders_clone'));
  });

  test.each([true, false])(
    "Secrets Manager's configuration test (AWSPENDING copied: %s) logs in with AWSCURRENT and changes nothing",
    async (copy) => {
      const w = setup();
      for (const secret of [arn('orders'), buArn('orders'), buArn('orders_clone')]) {
        const token = w.sm.configurationTest(secret, copy);
        await w.handle(w.sm.event(secret, token, 'testSecret'));
        w.sm.clearPending(secret, token);
      }
      expect(w.endpointsProbed).toHaveLength(1);
      expect(w.mq.mock.commandCalls(UpdateUserCommand)).toHaveLength(0);
      expect(w.mq.mock.commandCalls(RebootBrokerCommand)).toHaveLength(0);
      expect(w.mq.mock.commandCalls(CreateTagsCommand)).toHaveLength(0);
      expect(w.sm.mock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    },
  );

  test('the configuration test fails the deploy when AWSCURRENT does not log in', async () => {
    const w = setup();
    w.mq.brokers.get(BROKER)!.users.get('orders')!.password = 'changed-outside-secrets-manager';
    const token = w.sm.configurationTest(arn('orders'), true);
    await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).rejects.toThrow(/refuses the AWSCURRENT credentials/);
  });

  test('a legacy single-user AWSPENDING is refused with what to do', async () => {
    const w = setup();
    const token = w.sm.startRotation(arn('orders'));
    await w.sm.client.send(
      new PutSecretValueCommand({
        SecretId: arn('orders'),
        ClientRequestToken: token,
        SecretString: JSON.stringify({ username: 'orders', password: 'legacy-pending-pw-0001' }),
        VersionStages: ['AWSPENDING'],
      }),
    );
    await expect(w.handle(w.sm.event(arn('orders'), token, 'setSecret'))).rejects.toThrow(/remove the AWSPENDING label/);
    expect(w.mq.mock.commandCalls(UpdateUserCommand)).toHaveLength(0);
  });
});
