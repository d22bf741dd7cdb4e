import type { MqPlatformConfigInput } from '../../lib/config/schema';

/**
 * A valid environment of `count` brokers, half ActiveMQ and half RabbitMQ, in every mode. With
 * `queuesPerBroker`, each broker names that many queues (so each gets its depth and no-consumer
 * alarms); RabbitMQ brokers then run 3.13, since 4.x publishes no per-queue metrics.
 */
export function generateConfig(count: number, queuesPerBroker = 0): MqPlatformConfigInput {
  const brokers: MqPlatformConfigInput['brokers'] = [];
  for (let i = 0; i < count; i++) {
    const activeMq = i % 2 === 0;
    const multiAz = i % 4 >= 2;
    brokers.push({
      name: `bench${String(i).padStart(2, '0')}`,
      engine: activeMq ? 'ACTIVEMQ' : 'RABBITMQ',
      engineVersion: activeMq ? '5.19' : queuesPerBroker > 0 ? '3.13' : '4.2',
      deploymentMode: activeMq
        ? multiAz
          ? 'ACTIVE_STANDBY_MULTI_AZ'
          : 'SINGLE_INSTANCE'
        : multiAz
          ? 'CLUSTER_MULTI_AZ'
          : 'SINGLE_INSTANCE',
      instanceType: activeMq ? 'mq.m5.large' : 'mq.m7g.large',
      clients: [
        { name: 'apps', cidr: `10.${100 + i}.0.0/16` },
        { name: 'ops', cidr: '10.30.250.0/24', protocols: [activeMq ? 'OPENWIRE' : 'AMQP'] },
      ],
      // One application credential per broker: each is an alternating pair that costs the brokers
      // stack about 13 resources on ActiveMQ (client, two broker-user secrets, their schedules,
      // invoke permissions and read policies, a seed) and 4-5 on RabbitMQ; a stack holds 500.
      users: [{ username: 'app' }],
      ...(activeMq ? {} : { administrator: { username: 'admin' } }),
      // Credential rotation reboots a single-instance ActiveMQ broker: it must be accepted explicitly.
      ...(activeMq && !multiAz ? { rotation: { acceptRebootDowntime: true } } : {}),
      ...(queuesPerBroker > 0
        ? { queues: Array.from({ length: queuesPerBroker }, (_, q) => ({ name: `orders.${String(q).padStart(3, '0')}` })) }
        : {}),
    });
  }
  return {
    environment: 'bench',
    region: 'eu-west-1',
    network: { mode: 'create', cidr: '10.99.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    brokers,
  };
}
