/**
 * `mq-platform promote` against the loopback Amazon MQ emulator: one emulator per Region, a CRDR
 * pair across them, the real SDK client through each emulator's endpoint. The emulator follows
 * the CRDR pages (see amazon-mq.ts), not our code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeBrokerCommand, MqClient, PromoteCommand, RebootBrokerCommand } from '@aws-sdk/client-mq';
import { main } from '../../../lib/cli/main';
import { AwsEmulator } from './server';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const NAME = 'orders-prod-dr';
let east: AwsEmulator;
let west: AwsEmulator;
let ids: { east: string; west: string };
let cwd: string;

function client(emu: AwsEmulator): MqClient {
  const env = emu.env();
  return new MqClient({
    endpoint: env.AWS_ENDPOINT_URL_MQ,
    region: emu.mq.region,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

const backend = { reboot: async () => undefined };

beforeAll(async () => {
  east = new AwsEmulator({ mq: { region: EAST, promoteDelayMs: 300, rebootStartDelayMs: 50 } });
  west = new AwsEmulator({ mq: { region: WEST, promoteDelayMs: 300, rebootStartDelayMs: 50 } });
  await Promise.all([east.start(), west.start()]);
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-emu-'));
  fs.mkdirSync(path.join(cwd, 'config'));
  fs.writeFileSync(
    path.join(cwd, 'config', 'prod-dr.json'),
    JSON.stringify({
      environment: 'prod-dr',
      region: EAST,
      brokers: [{ name: 'orders', users: [{ username: 'orders-app' }], replica: { region: WEST } }],
    }),
  );
});

afterAll(async () => {
  await Promise.all([east.stop(), west.stop()]);
});

beforeEach(() => {
  east.mq.regionDown = false;
  west.mq.regionDown = false;
  const broker = (region: string, host: string) => ({
    brokerName: NAME,
    engineType: 'ACTIVEMQ' as const,
    engineVersion: '5.19',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ' as const,
    instances: [1, 2].map((i) => ({ endpoints: [`ssl://${host}-${i}.mq.${region}.amazonaws.com:61617`] })),
    backend,
  });
  // A fresh pair per test; the previous one stays (other names would be ambiguous, so remove by name first).
  for (const emu of [east, west]) (emu.mq as unknown as { brokers: Map<string, unknown> }).brokers.clear();
  ids = { east: east.mq.addBroker(broker(EAST, 'b-east')), west: west.mq.addBroker(broker(WEST, 'b-west')) };
  east.mq.pairCrdr(ids.east, west.mq, ids.west);
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const clients: Record<string, MqClient> = { [EAST]: client(east), [WEST]: client(west) };
  const code = await main(argv, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env: {},
    cwd,
    promote: { mqClient: (r) => clients[r], pollIntervalMs: 100, timeoutMs: 5000 },
  });
  return { code, out: out.join(''), err: err.join('') };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Amazon MQ emulator: CRDR as the docs describe', () => {
  test('a replica reports state REPLICA and its counterpart; Promote refuses the primary and unknown modes', async () => {
    const d = await client(west).send(new DescribeBrokerCommand({ BrokerId: ids.west }));
    expect(d).toMatchObject({
      BrokerState: 'REPLICA',
      DataReplicationMode: 'CRDR',
      DataReplicationMetadata: { DataReplicationRole: 'REPLICA', DataReplicationCounterpart: { BrokerId: ids.east, Region: EAST } },
    });
    await expect(client(east).send(new PromoteCommand({ BrokerId: ids.east, Mode: 'SWITCHOVER' }))).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await expect(client(west).send(new PromoteCommand({ BrokerId: ids.west, Mode: 'SIDEWAYS' as never }))).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    // "You can reboot only a broker with the RUNNING status": not the replica.
    await expect(client(west).send(new RebootBrokerCommand({ BrokerId: ids.west }))).rejects.toMatchObject({ name: 'BadRequestException' });
  });

  test('Promote answers at once; the roles swap a moment later', async () => {
    await client(west).send(new PromoteCommand({ BrokerId: ids.west, Mode: 'SWITCHOVER' }));
    expect([east.mq.roleOf(ids.east), west.mq.roleOf(ids.west)]).toEqual(['PRIMARY', 'REPLICA']);
    await wait(600);
    expect([east.mq.roleOf(ids.east), west.mq.roleOf(ids.west)]).toEqual(['REPLICA', 'PRIMARY']);
  });

  test('a SWITCHOVER with the primary Region down does not complete until that Region is back', async () => {
    east.mq.regionDown = true;
    await client(west).send(new PromoteCommand({ BrokerId: ids.west, Mode: 'SWITCHOVER' }));
    await wait(900);
    expect(west.mq.roleOf(ids.west)).toBe('REPLICA');
    east.mq.regionDown = false;
    await wait(600);
    expect([east.mq.roleOf(ids.east), west.mq.roleOf(ids.west)]).toEqual(['REPLICA', 'PRIMARY']);
  });
});

describe('mq-platform promote against the emulator', () => {
  test('switchover: waits for the swap and prints endpoints, the failover URL over both Regions and the secrets', async () => {
    const r = await cli(['promote', '--env', 'prod-dr', '--broker', 'orders', '--mode', 'switchover']);
    expect(r.err).toContain(`promoting ${NAME} in ${WEST} (${ids.west}) by SWITCHOVER`);
    expect(r.code).toBe(0);
    expect([east.mq.roleOf(ids.east), west.mq.roleOf(ids.west)]).toEqual(['REPLICA', 'PRIMARY']);
    expect(r.out).toContain(`switchover done: ${NAME} is PRIMARY in ${WEST} (${ids.west}); ${EAST} is REPLICA.`);
    expect(r.out).toContain(
      `failover:(ssl://b-west-1.mq.${WEST}.amazonaws.com:61617,ssl://b-west-2.mq.${WEST}.amazonaws.com:61617,ssl://b-east-1.mq.${EAST}.amazonaws.com:61617,ssl://b-east-2.mq.${EAST}.amazonaws.com:61617)?randomize=false&priorityBackup=true&maxReconnectAttempts=-1`,
    );
    expect(r.out).toContain(`mq-platform/prod-dr/orders/orders-app (${WEST})`);
    // And back: the former primary is now the replica to promote.
    const back = await cli(['promote', '--env', 'prod-dr', '--broker', 'orders', '--mode', 'switchover']);
    expect(back.code).toBe(0);
    expect([east.mq.roleOf(ids.east), west.mq.roleOf(ids.west)]).toEqual(['PRIMARY', 'REPLICA']);
  });

  test('failover with the primary Region down: the replica serves; the old primary is demoted when its Region returns', async () => {
    east.mq.regionDown = true;
    const r = await cli(['promote', '--env', 'prod-dr', '--broker', 'orders', '--mode', 'failover']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${EAST}: no answer`);
    expect(r.out).toContain(`failover done: ${NAME} is PRIMARY in ${WEST} (${ids.west}).`);
    expect(east.mq.roleOf(ids.east)).toBe('PRIMARY'); // it has not heard of it yet
    east.mq.regionDown = false;
    expect(east.mq.roleOf(ids.east)).toBe('REPLICA');
  });

  test('switchover with the primary Region down stops before Promote (exit 5) and names failover', async () => {
    east.mq.regionDown = true;
    const r = await cli(['promote', '--env', 'prod-dr', '--broker', 'orders', '--mode', 'switchover']);
    expect(r.code).toBe(5);
    expect(r.err).toContain(`a switchover needs both Regions; with ${EAST} down, run with --mode failover`);
    expect(west.mq.roleOf(ids.west)).toBe('REPLICA');
  });
});
