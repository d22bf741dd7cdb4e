import { BROKERS_ENV, PARTNER_SUFFIX, partnerUsername, REBOOT_LEASE_TAG } from '../../lib/contract/rotation';

// Deployed functions read this environment and deployed brokers carry these users and tags: a change
// here breaks rotation of what is already deployed.
describe('the rotation contract', () => {
  test.each([
    ['the environment variable of broker targets', BROKERS_ENV, 'MQ_PLATFORM_BROKERS'],
    ['the suffix of a pair user', PARTNER_SUFFIX, '_clone'],
    ['the partner of orders-app', partnerUsername('orders-app'), 'orders-app_clone'],
    ['the reboot lease tag', REBOOT_LEASE_TAG, 'mq-platform:rotation-reboot'],
  ])('%s', (_what, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
