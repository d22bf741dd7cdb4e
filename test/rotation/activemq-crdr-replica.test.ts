import { CreateTagsCommand, RebootBrokerCommand, UpdateUserCommand } from '@aws-sdk/client-mq';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { replicaHoldLine } from '../../lib/rotation/activemq-strategy';
import { createRotator } from '../../lib/rotation/factory';
import type { BrokerTarget, RotationEvent } from '../../lib/rotation/types';
import { FakeAmazonMq, FakeClock, FakeSecretsManager } from './fake-aws';

const BROKER = 'b-orders';
const arn = (name: string) => `arn:aws:secretsmanager:us-west-2:111111111111:secret:mq-platform/prod-dr/orders/${name}-AbCdEf`;
const buArn = (user: string) => arn(`broker-users/${user}`);

function setup(role: 'PRIMARY' | 'REPLICA') {
  const clock = new FakeClock();
  const sm = new FakeSecretsManager();
  const mq = new FakeAmazonMq(clock);
  const initial = { orders: 'orders-initial-password-0001', orders_clone: 'orders-clone-generated-0001' };
  sm.add(arn('orders'), 'mq-platform/prod-dr/orders/orders', { username: 'orders', password: initial.orders });
  for (const [user, password] of Object.entries(initial))
    sm.add(buArn(user), `mq-platform/prod-dr/orders/broker-users/${user}`, { username: user, password });
  const b = mq.addBroker(BROKER, initial);
  b.crdrRole = role;
  const target: BrokerTarget = {
    engine: 'ACTIVEMQ',
    brokerName: b.name,
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    credentials: [
      {
        secretArn: arn('orders'),
        username: 'orders',
        partnerUsername: 'orders_clone',
        brokerUserSecretArns: { orders: buArn('orders'), orders_clone: buArn('orders_clone') },
      },
    ],
  };
  const lines: string[] = [];
  const probed: string[] = [];
  const probe = mq.probe(BROKER);
  let n = 0;
  const rotator = createRotator({
    brokers: [target],
    secretsManager: sm.client,
    mq: mq.client,
    probes: { ACTIVEMQ: (endpoints, creds) => (probed.push(creds.username), probe(endpoints, creds)) },
    log: (msg) => void lines.push(msg),
    newPassword: () => `new-password-${String(++n).padStart(6, '0')}-xyz`,
    sleep: clock.sleep,
    now: clock.nowFn,
    timing: { pollMs: 5000, gatherMs: 30000, settleMs: 2000 },
  });
  const handle = (e: RotationEvent) => rotator.handle(e);
  const brokerWrites = () =>
    mq.mock.commandCalls(UpdateUserCommand).length +
    mq.mock.commandCalls(RebootBrokerCommand).length +
    mq.mock.commandCalls(CreateTagsCommand).length;
  return { sm, mq, b, handle, lines, probed, brokerWrites };
}

describe('ActiveMQ rotation of a CRDR replica', () => {
  test('REPLICA: no broker write, no login, AWSCURRENT keeps its value, one clear log line', async () => {
    const w = setup('REPLICA');
    const before = w.sm.value(arn('orders'));
    await w.sm.rotate(arn('orders'), w.handle);

    expect(w.brokerWrites()).toBe(0);
    expect(w.probed).toEqual([]);
    expect(w.sm.value(arn('orders'))).toEqual(before);
    // finishSecret moved AWSCURRENT to this rotation's version (the schedule is satisfied).
    expect(w.sm.mock.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input.SecretId)).toEqual([arn('orders')]);
    expect(w.sm.value(arn('orders'), 'AWSPREVIOUS')).toEqual(before);
    expect(w.sm.value(buArn('orders_clone'))!.password).toBe('orders-clone-generated-0001');
    expect(w.b.pending.size).toBe(0);
    const line = replicaHoldLine('orders');
    expect(line).toBe(
      "orders is a CRDR replica: it accepts no client connections; its users' passwords change at the first rotation after it is promoted",
    );
    expect(w.lines.filter((l) => l === line)).toHaveLength(1);
  });

  test("REPLICA: the schedule's configuration test passes without a login", async () => {
    const w = setup('REPLICA');
    for (const copy of [false, true]) {
      const token = w.sm.configurationTest(arn('orders'), copy);
      await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).resolves.toBeUndefined();
      w.sm.clearPending(arn('orders'), token);
    }
    expect(w.probed).toEqual([]);
    expect(w.brokerWrites()).toBe(0);
  });

  test('PRIMARY: rotates as before (other user, one reboot, AWSCURRENT flips)', async () => {
    const w = setup('PRIMARY');
    await w.sm.rotate(arn('orders'), w.handle);
    const cur = w.sm.value(arn('orders'))!;
    expect(cur.username).toBe('orders_clone');
    expect(cur.password).toBe('new-password-000001-xyz');
    expect(w.mq.activePassword(BROKER, 'orders_clone')).toBe(cur.password);
    expect(w.mq.mock.commandCalls(UpdateUserCommand)).toHaveLength(1);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
    expect(w.lines.some((l) => l.includes('CRDR replica'))).toBe(false);
  });

  test('after promotion the next rotation changes the password', async () => {
    const w = setup('REPLICA');
    await w.sm.rotate(arn('orders'), w.handle);
    w.b.crdrRole = 'PRIMARY';
    await w.sm.rotate(arn('orders'), w.handle);
    const cur = w.sm.value(arn('orders'))!;
    expect(cur.username).toBe('orders_clone');
    expect(w.mq.activePassword(BROKER, 'orders_clone')).toBe(cur.password);
    expect(w.mq.rebootsBy(BROKER)).toBe(1);
  });

  test('demoted to replica after createSecret: setSecret writes nothing and says what to do', async () => {
    const w = setup('PRIMARY');
    const token = w.sm.startRotation(arn('orders'));
    await w.handle(w.sm.event(arn('orders'), token, 'createSecret'));
    w.b.crdrRole = 'REPLICA';
    await expect(w.handle(w.sm.event(arn('orders'), token, 'setSecret'))).rejects.toThrow(
      /broker orders became a CRDR replica after this rotation began; nothing was changed and clients keep using orders/,
    );
    expect(w.brokerWrites()).toBe(0);
    expect(w.sm.value(buArn('orders_clone'))!.password).toBe('orders-clone-generated-0001');
  });

  test('demoted to replica after setSecret: testSecret fails at once instead of waiting for a reboot', async () => {
    const w = setup('PRIMARY');
    const token = w.sm.startRotation(arn('orders'));
    await w.handle(w.sm.event(arn('orders'), token, 'createSecret'));
    await w.handle(w.sm.event(arn('orders'), token, 'setSecret'));
    w.b.crdrRole = 'REPLICA';
    await expect(w.handle(w.sm.event(arn('orders'), token, 'testSecret'))).rejects.toThrow(
      /became a CRDR replica during this rotation \(no reboot, no login there\); orders_clone stays pending and clients keep using orders/,
    );
    expect(w.mq.mock.commandCalls(RebootBrokerCommand)).toHaveLength(0);
    expect(w.sm.value(arn('orders'))!.username).toBe('orders');
  });
});
