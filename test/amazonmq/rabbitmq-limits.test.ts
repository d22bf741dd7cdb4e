import { DEPLOYMENT_MODES_BY_ENGINE, INSTANCE_TYPE_RULES } from '../../lib/amazonmq/catalog';
import {
  RABBITMQ_4_DEFAULT_LIMITS,
  RABBITMQ_LIMIT_NAMES,
  RABBITMQ_M7G_MAX_LIMITS,
  rabbitMqDefaultLimits,
  rabbitMqMaxLimits,
} from '../../lib/amazonmq/rabbitmq-limits';

const rabbitOffers = INSTANCE_TYPE_RULES.filter((r) => r.engine === 'RABBITMQ').flatMap((r) =>
  r.instanceTypes.flatMap((t) => r.versions.flatMap((v) => r.modes.map((m) => [v, m, t] as const))),
);

describe('RabbitMQ limit tables', () => {
  test("the issue's fact: an m7g.large cluster on RabbitMQ 4.2 accepts 500 connections per node by default", () => {
    expect(rabbitMqDefaultLimits('4.2', 'mq.m7g.large', 'CLUSTER_MULTI_AZ')?.connectionsPerNode).toBe(500);
    expect(rabbitMqMaxLimits('mq.m7g.large', 'CLUSTER_MULTI_AZ')?.connectionsPerNode).toBe(5000);
  });

  test('every default is within its maximum, for every m7g size and mode', () => {
    for (const mode of ['SINGLE_INSTANCE', 'CLUSTER_MULTI_AZ'] as const) {
      for (const [size, defaults] of Object.entries(RABBITMQ_4_DEFAULT_LIMITS[mode])) {
        for (const name of RABBITMQ_LIMIT_NAMES) {
          expect([mode, size, name, defaults[name] <= RABBITMQ_M7G_MAX_LIMITS[mode][size][name]]).toEqual([mode, size, name, true]);
        }
      }
    }
  });

  test.each(rabbitOffers)('RabbitMQ %s %s on %s has a connection limit per node', (version, mode, instanceType) => {
    expect(DEPLOYMENT_MODES_BY_ENGINE.RABBITMQ).toContain(mode);
    expect(rabbitMqDefaultLimits(version, instanceType, mode)?.connectionsPerNode).toBeGreaterThan(0);
  });

  test('RabbitMQ 3 runs at the maxima (m7g table, m5 table), RabbitMQ 4 at the lower defaults', () => {
    expect(rabbitMqDefaultLimits('3.13', 'mq.m7g.large', 'CLUSTER_MULTI_AZ')?.connectionsPerNode).toBe(5000);
    expect(rabbitMqDefaultLimits('3.13', 'mq.m5.xlarge', 'SINGLE_INSTANCE')).toMatchObject({ connectionsPerNode: 10000, queues: 60000 });
    expect(rabbitMqDefaultLimits('4.3', 'mq.m7g.medium', 'SINGLE_INSTANCE')?.connectionsPerNode).toBe(100);
    expect(rabbitMqMaxLimits('mq.m5.large', 'SINGLE_INSTANCE')).toBeUndefined();
  });
});
