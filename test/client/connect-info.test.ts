import { randomBytes } from 'node:crypto';
import { BrokerInfo } from '../../lib/client/broker-directory';
import { MASK, buildConnectInfo, endpointsByProtocol } from '../../lib/client/connect-info';

const active: BrokerInfo = {
  id: 'b-1',
  name: 'orders-dev',
  engine: 'ACTIVEMQ',
  mode: 'ACTIVE_STANDBY_MULTI_AZ',
  state: 'RUNNING',
  users: ['app'],
  instances: [1, 2].map((n) => ({
    consoleUrl: `https://h${n}:8162`,
    endpoints: [`ssl://h${n}:61617`, `stomp+ssl://h${n}:61614`, `amqp+ssl://h${n}:5671`],
  })),
};
const rabbit: BrokerInfo = {
  id: 'b-2',
  name: 'events-dev',
  engine: 'RABBITMQ',
  mode: 'CLUSTER_MULTI_AZ',
  state: 'RUNNING',
  users: [],
  instances: [{ consoleUrl: 'https://r', endpoints: ['amqps://r:5671'] }],
};
// Random per run, with URL-special characters to prove encoding.
const suffix = randomBytes(4).toString('hex');
const creds = { username: 'app', password: `p@ss:w/rd-${suffix}`, source: 'mq-platform/dev/x/app' };

test('groups endpoints by protocol in instance order', () => {
  expect(endpointsByProtocol(active)['stomp+ssl']).toEqual(['stomp+ssl://h1:61614', 'stomp+ssl://h2:61614']);
});

test('ActiveMQ: STOMP endpoints in order and a JMS failover URL, password masked', () => {
  const info = buildConnectInfo(active, creds);
  expect(info.stomp).toEqual({
    endpoints: [
      { host: 'h1', port: 61614, ssl: true },
      { host: 'h2', port: 61614, ssl: true },
    ],
    connectHeaders: { login: 'app', passcode: MASK },
  });
  expect(info.jms).toEqual({ brokerUrl: 'failover:(ssl://h1:61617,ssl://h2:61617)', userName: 'app', password: MASK });
  expect(info.amqp10?.endpoints).toHaveLength(2);
  expect(JSON.stringify(info)).not.toContain(creds.password);
});

test('RabbitMQ: amqps URL, URL-encoded password only with showSecret', () => {
  expect(buildConnectInfo(rabbit, creds).amqplib?.url).toBe(`amqps://app:${MASK}@r:5671`);
  expect(buildConnectInfo(rabbit, creds, { showSecret: true }).amqplib?.url).toBe(`amqps://app:p%40ss%3Aw%2Frd-${suffix}@r:5671`);
});
