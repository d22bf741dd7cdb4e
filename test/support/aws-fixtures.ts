import { DescribeBrokerResponse } from '@aws-sdk/client-mq';
import { randomBytes } from 'node:crypto';

// Keep test output clean: the project pins Node 20 and the SDK warns about Node 22 on every client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const ACTIVE_ID = 'b-11111111-2222-3333-4444-555555555555';
export const RABBIT_ID = 'b-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const OTHER_ID = 'b-99999999-2222-3333-4444-555555555555';
/** Made per run (no password literals in fixtures); tests prove it never appears in output. */
export const FAKE_PASSWORD = `t-${randomBytes(9).toString('hex')}`;

const host = (id: string, n: number) => `${id}-${n}.mq.eu-west-1.amazonaws.com`;

export const orders: DescribeBrokerResponse = {
  BrokerId: ACTIVE_ID,
  BrokerArn: `arn:aws:mq:eu-west-1:111122223333:broker:orders-dev:${ACTIVE_ID}`,
  BrokerName: 'orders-dev',
  BrokerState: 'RUNNING',
  DeploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
  EngineType: 'ACTIVEMQ',
  EngineVersion: '5.18',
  BrokerInstances: [1, 2].map((n) => ({
    ConsoleURL: `https://${host(ACTIVE_ID, n)}:8162`,
    IpAddress: `10.0.${n}.10`,
    Endpoints: [
      `ssl://${host(ACTIVE_ID, n)}:61617`,
      `amqp+ssl://${host(ACTIVE_ID, n)}:5671`,
      `stomp+ssl://${host(ACTIVE_ID, n)}:61614`,
      `mqtt+ssl://${host(ACTIVE_ID, n)}:8883`,
      `wss://${host(ACTIVE_ID, n)}:61619`,
    ],
  })),
  Tags: { 'mq-platform:environment': 'dev', 'mq-platform:broker': 'orders' },
  Users: [{ Username: 'app' }, { Username: 'admin' }],
};

export const events: DescribeBrokerResponse = {
  BrokerId: RABBIT_ID,
  BrokerArn: `arn:aws:mq:eu-west-1:111122223333:broker:events-dev:${RABBIT_ID}`,
  BrokerName: 'events-dev',
  BrokerState: 'RUNNING',
  DeploymentMode: 'CLUSTER_MULTI_AZ',
  EngineType: 'RABBITMQ',
  EngineVersion: '3.13',
  BrokerInstances: [
    { ConsoleURL: `https://${RABBIT_ID}.mq.eu-west-1.amazonaws.com`, Endpoints: [`amqps://${RABBIT_ID}.mq.eu-west-1.amazonaws.com:5671`] },
  ],
  Tags: { 'mq-platform:environment': 'dev', 'mq-platform:broker': 'events' },
  Users: [],
};

/** Named like a dev broker but tagged for another environment: must not show up in --env dev. */
export const impostor: DescribeBrokerResponse = {
  BrokerId: OTHER_ID,
  BrokerName: 'legacy-dev',
  BrokerState: 'RUNNING',
  DeploymentMode: 'SINGLE_INSTANCE',
  EngineType: 'ACTIVEMQ',
  Tags: { 'mq-platform:environment': 'prod' },
};

export function summary(d: DescribeBrokerResponse) {
  return {
    BrokerId: d.BrokerId,
    BrokerArn: d.BrokerArn,
    BrokerName: d.BrokerName,
    BrokerState: d.BrokerState,
    DeploymentMode: d.DeploymentMode!,
    EngineType: d.EngineType!,
  };
}

export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
