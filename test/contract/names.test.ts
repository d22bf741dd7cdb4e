import * as names from '../../lib/contract/names';
import { TAG_KEYS } from '../../lib/contract/tags';

// Deployed resources, the client, the CLI and the rotation function find each other by these
// names: a change here renames (and so replaces) resources, so each is pinned.
describe('names every tool reads', () => {
  test.each([
    ['stackName', names.stackName('prod', 'Brokers'), 'MqPlatform-prod-Brokers'],
    ['alarmStackPart', names.alarmStackPart('order_events'), 'Alarms-order-events'],
    ['brokerName', names.brokerName('orders', 'prod'), 'orders-prod'],
    ['resourcePrefix', names.resourcePrefix('prod'), 'mq-platform-prod'],
    ['secretNamePrefix', names.secretNamePrefix('prod', 'orders'), 'mq-platform/prod/orders/'],
    ['secretName', names.secretName('prod', 'orders', 'app'), 'mq-platform/prod/orders/app'],
    ['environmentSecretNamePattern', names.environmentSecretNamePattern('prod'), 'mq-platform/prod/*'],
    ['environmentSecretNamePrefix', names.environmentSecretNamePrefix('prod'), 'mq-platform/prod/'],
    ['keyAlias', names.keyAlias('orders-prod'), 'alias/mq-platform/orders-prod'],
    ['alarmTopicName', names.alarmTopicName('prod'), 'mq-platform-prod-alarms'],
    ['alarmNamePrefix', names.alarmNamePrefix('prod'), 'mq-platform-prod-'],
    ['alarmName', names.alarmName('prod', 'orders', 'cpu'), 'mq-platform-prod-orders-cpu'],
    ['dashboardName', names.dashboardName('prod'), 'mq-platform-prod'],
    ['logPolicyName', names.logPolicyName('prod'), 'mq-platform-prod-amazonmq-logs'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  test('every alarm name starts with the prefix the alarm topic policy allows', () => {
    expect(names.alarmName('dev', 'events', 'disk').startsWith(names.alarmNamePrefix('dev'))).toBe(true);
  });

  test('tag keys', () => {
    expect(TAG_KEYS).toEqual({
      environment: 'mq-platform:environment',
      broker: 'mq-platform:broker',
      username: 'mq-platform:username',
      secretKind: 'mq-platform:secret-kind',
      applicationSecret: 'mq-platform:application-secret',
      authentication: 'mq-platform:authentication',
      tokenAudience: 'mq-platform:token-audience',
    });
  });
});
