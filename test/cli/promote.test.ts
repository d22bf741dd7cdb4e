// Unit tests of `mq-platform promote` with aws-sdk-client-mock (one mocked MqClient per Region);
// test/integration/emulator/promote.test.ts runs it against the loopback Amazon MQ emulator.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeBrokerCommand, ListBrokersCommand, MqClient, PromoteCommand } from '@aws-sdk/client-mq';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../lib/cli/main';
import { crdrPairFromConfig, openWireFailoverUrl, parseMode } from '../../lib/cli/promote';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const NAME = 'orders-prod-dr';
const ID: Record<string, string> = { [EAST]: 'b-11111111-1111-1111-1111-111111111111', [WEST]: 'b-22222222-2222-2222-2222-222222222222' };
const ENDPOINTS: Record<string, string[]> = {
  [EAST]: [`ssl://${ID[EAST]}-1.mq.${EAST}.amazonaws.com:61617`, `stomp+ssl://${ID[EAST]}-1.mq.${EAST}.amazonaws.com:61614`],
  [WEST]: [`ssl://${ID[WEST]}-1.mq.${WEST}.amazonaws.com:61617`, `stomp+ssl://${ID[WEST]}-1.mq.${WEST}.amazonaws.com:61614`],
};

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-'));
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(
    path.join(dir, 'config', 'prod-dr.json'),
    JSON.stringify({
      environment: 'prod-dr',
      region: EAST,
      brokers: [
        { name: 'orders', engine: 'ACTIVEMQ', users: [{ username: 'orders-app' }], replica: { region: WEST } },
        { name: 'events', engine: 'RABBITMQ', users: [] },
      ],
    }),
  );
  return dir;
}

const mockMq = (c: MqClient) => mockClient(c);

/** A pair whose roles swap after `afterPolls` DescribeBroker calls of the promoted side. */
function pair(options: { eastDown?: boolean; afterPolls?: number } = {}) {
  const clients: Record<string, MqClient> = { [EAST]: new MqClient({ region: EAST }), [WEST]: new MqClient({ region: WEST }) };
  const mocks: Record<string, ReturnType<typeof mockMq>> = {
    [EAST]: mockMq(clients[EAST]),
    [WEST]: mockMq(clients[WEST]),
  };
  let promoted = false;
  let polls = 0;
  const role = (region: string) => {
    const swapped = promoted && polls > (options.afterPolls ?? 1);
    return (region === EAST) !== swapped ? 'PRIMARY' : 'REPLICA';
  };
  for (const region of [EAST, WEST]) {
    const m = mocks[region];
    if (region === EAST && options.eastDown) {
      m.on(ListBrokersCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      m.on(DescribeBrokerCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      continue;
    }
    m.on(ListBrokersCommand).resolves({
      BrokerSummaries: [{ BrokerName: NAME, BrokerId: ID[region], DeploymentMode: 'ACTIVE_STANDBY_MULTI_AZ', EngineType: 'ACTIVEMQ' }],
    });
    m.on(DescribeBrokerCommand).callsFake(() => {
      if (region === WEST && promoted) polls++;
      const r = role(region);
      return {
        BrokerId: ID[region],
        BrokerState: r === 'REPLICA' ? 'REPLICA' : 'RUNNING',
        DataReplicationMode: 'CRDR',
        DataReplicationMetadata: {
          DataReplicationRole: r,
          DataReplicationCounterpart: { BrokerId: ID[region === EAST ? WEST : EAST], Region: region === EAST ? WEST : EAST },
        },
        BrokerInstances: [{ Endpoints: ENDPOINTS[region] }],
      };
    });
    m.on(PromoteCommand).callsFake((input: { BrokerId: string; Mode: string }) => {
      if (region !== WEST || input.BrokerId !== ID[WEST]) throw Object.assign(new Error('not a replica'), { name: 'BadRequestException' });
      promoted = true;
      return { BrokerId: input.BrokerId };
    });
  }
  return { clients, mocks };
}

async function run(argv: string[], p: ReturnType<typeof pair>, extra: { timeoutMs?: number } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env: {},
    cwd: workspace(),
    promote: { mqClient: (r) => p.clients[r], pollIntervalMs: 1, sleep: () => Promise.resolve(), ...extra },
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('mq-platform promote (aws-sdk-client-mock)', () => {
  test('switchover: promotes the replica in the other Region, waits for the swap, prints what clients change', async () => {
    const p = pair({ afterPolls: 2 });
    const r = await run(['promote', '--env', 'prod-dr', '--broker', 'orders', '--mode', 'switchover'], p);
    expect(r.code).toBe(0);
    expect(p.mocks[WEST].commandCalls(PromoteCommand).map((c) => c.args[0].input)).toEqual([{ BrokerId: ID[WEST], Mode: 'SWITCHOVER' }]);
    expect(p.mocks[EAST].commandCalls(PromoteCommand)).toHaveLength(0);
    expect(r.err).toContain(`promoting ${NAME} in ${WEST} (${ID[WEST]}) by SWITCHOVER`);
    expect(r.err).toMatch(new RegExp(`\\ds: ${WEST} REPLICA REPLICA; ${EAST} PRIMARY RUNNING`));
    expect(r.out).toContain(`switchover done: ${NAME} is PRIMARY in ${WEST} (${ID[WEST]}); ${EAST} is REPLICA.`);
    expect(r.out).toContain(
      `failover:(${ENDPOINTS[WEST][0]},${ENDPOINTS[EAST][0]})?randomize=false&priorityBackup=true&maxReconnectAttempts=-1`,
    );
    expect(r.out).toContain(`mq-platform/prod-dr/orders/orders-app (${WEST})`);
  });

  test('failover: the primary Region does not answer; the replica is promoted alone', async () => {
    const p = pair({ eastDown: true });
    const r = await run(['promote', '-e', 'prod-dr', '-b', 'orders', '--mode', 'FAILOVER', '--json'], p);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${EAST}: no answer`);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ mode: 'FAILOVER', primaryRegion: WEST, primary: { role: 'PRIMARY', state: 'RUNNING' } });
    expect(json.replica).toBeUndefined();
    expect(json.clients.openWireFailoverUrl).toBe(
      `failover:(${ENDPOINTS[WEST][0]})?randomize=false&priorityBackup=true&maxReconnectAttempts=-1`,
    );
  });

  test('switchover with the primary Region down fails before calling Promote, with exit 5', async () => {
    const p = pair({ eastDown: true });
    const r = await run(['promote', '-e', 'prod-dr', '-b', 'orders', '--mode', 'switchover'], p);
    expect(r.code).toBe(5);
    expect(p.mocks[WEST].commandCalls(PromoteCommand)).toHaveLength(0);
    expect(r.err).toContain(`cannot reach AWS while describing ${NAME} in ${EAST}`);
  });

  test('a switchover that never completes times out with the failover hint', async () => {
    const p = pair({ afterPolls: Number.MAX_SAFE_INTEGER });
    const r = await run(['promote', '-e', 'prod-dr', '-b', 'orders', '--mode', 'switchover'], p, { timeoutMs: 0 });
    expect(r.code).toBe(5);
    expect(r.err).toContain(`switchover of ${NAME} did not complete`);
    expect(r.err).toContain('run with --mode failover');
  });

  test.each([
    [['promote', '-e', 'prod-dr', '-b', 'orders', '--mode', 'flip'], 2, '--mode must be switchover or failover, got "flip"'],
    [['promote', '-e', 'prod-dr', '--mode', 'failover'], 2, 'promote needs --env <name> and --broker <name>'],
    [
      ['promote', '-e', 'prod-dr', '-b', 'events', '--mode', 'failover'],
      2,
      'broker events of prod-dr has no replica (brokers[].replica) to promote',
    ],
    [['promote', '-e', 'prod-dr', '-b', 'nope', '--mode', 'failover'], 3, 'config/prod-dr.json has no broker "nope"'],
    [['promote', '-e', 'qa', '-b', 'orders', '--mode', 'failover'], 3, 'no config/*.json with "environment": "qa"'],
  ])('%j exits %d: %s', async (argv, code, message) => {
    const r = await run(argv, pair());
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
  });

  test('no replica to promote (both report PRIMARY, e.g. mid-promotion) is not-found', async () => {
    const p = pair();
    p.mocks[WEST].on(DescribeBrokerCommand).resolves({
      BrokerId: ID[WEST],
      BrokerState: 'RUNNING',
      DataReplicationMetadata: { DataReplicationRole: 'PRIMARY' },
    });
    const r = await run(['promote', '-e', 'prod-dr', '-b', 'orders', '--mode', 'switchover'], p);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`no replica broker ${NAME} to promote (${EAST}: PRIMARY (RUNNING), ${WEST}: PRIMARY (RUNNING))`);
  });

  test('helpers', () => {
    expect(parseMode('switchover')).toBe('SWITCHOVER');
    expect(openWireFailoverUrl(['ssl://a:61617', 'amqp+ssl://a:5671'], ['ssl://b:61617'])).toBe(
      'failover:(ssl://a:61617,ssl://b:61617)?randomize=false&priorityBackup=true&maxReconnectAttempts=-1',
    );
    expect(crdrPairFromConfig('prod-dr', 'orders', workspace())).toEqual({
      environment: 'prod-dr',
      broker: 'orders',
      brokerName: NAME,
      regions: [EAST, WEST],
      usernames: ['orders-app'],
    });
  });
});
