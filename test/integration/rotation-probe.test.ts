/**
 * The rotation function's ActiveMQ login check (lib/rotation/probe.ts, on lib/client's STOMP
 * connection) against a real ActiveMQ (Debian activemq 5.17, STOMP+SSL with the test CA on 127.0.0.1):
 * it must tell a refused password from a broker it could not reach, because only the first may lead to
 * a new UpdateUser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activeMqProbe } from '../../lib/rotation/probe';
import { ActiveMqBroker, freePort, makeCa, tempDir } from './harness/brokers';

let dir: string;
let broker: ActiveMqBroker;
let probe: ReturnType<typeof activeMqProbe>;

beforeAll(async () => {
  dir = tempDir('rotation-probe');
  const ca = await makeCa(path.join(dir, 'ca'));
  broker = new ActiveMqBroker(path.join(dir, 'amq'), ca, 'probe');
  await broker.start();
  probe = activeMqProbe({ ca: fs.readFileSync(ca.caFile), timeoutMs: 5000 });
}, 120000);

afterAll(async () => {
  await broker?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60000);

test('the right password logs in', async () => {
  expect(await probe([`stomp+ssl://127.0.0.1:${broker.port}`], { username: broker.username, password: broker.password })).toEqual({
    outcome: 'ok',
  });
});

test('a wrong password is "wrong credentials"', async () => {
  const r = await probe([`stomp+ssl://127.0.0.1:${broker.port}`], { username: broker.username, password: 'not-the-password-123' });
  expect(r.outcome).toBe('wrong-credentials');
});

test('nothing listening is "could not connect", never a wrong password', async () => {
  const r = await probe([`stomp+ssl://127.0.0.1:${await freePort()}`], { username: broker.username, password: 'not-the-password-123' });
  expect(r.outcome).toBe('unreachable');
});

test('active/standby: the standby endpoint that does not answer is skipped', async () => {
  const r = await probe([`stomp+ssl://127.0.0.1:${await freePort()}`, `stomp+ssl://127.0.0.1:${broker.port}`], {
    username: broker.username,
    password: broker.password,
  });
  expect(r).toEqual({ outcome: 'ok' });
});
