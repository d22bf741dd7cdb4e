import { DescribeBrokerCommand, DescribeUserCommand, MqClient, RebootBrokerCommand, UpdateUserCommand } from '@aws-sdk/client-mq';
import { mockClient } from 'aws-sdk-client-mock';
import { ActiveMqStrategy } from '../../lib/rotation/activemq-strategy';
import type { Credentials, RotationContext } from '../../lib/rotation/types';

// The Amazon MQ API is aws-sdk-client-mock; the STOMP login is a fake probe (see docs/rotation.md).
const creds = (password: string): Credentials => ({ username: 'app', password });
const ctx: RotationContext = {
  secretId: 's',
  token: 't',
  broker: { secretNamePrefix: 'p/', engine: 'ACTIVEMQ', brokerId: 'b-amq', stompEndpoints: 'stomp+ssl://b-amq-1.example:61614,stomp+ssl://b-amq-2.example:61614' },
  current: creds('cur'),
  pending: creds('new'),
};

function setup(loginWorksWith: string[] = ['cur']) {
  const mq = new MqClient({ region: 'eu-west-1' });
  const mock = mockClient(mq);
  mock.on(DescribeUserCommand).resolves({ Username: 'app', ConsoleAccess: true, Groups: ['admins'] });
  mock.on(DescribeBrokerCommand).resolves({ BrokerState: 'RUNNING' });
  const login = jest.fn(async (endpoints: readonly string[], c: Credentials) => endpoints.length === 2 && loginWorksWith.includes(c.password));
  const strategy = new ActiveMqStrategy({ mq, login, sleep: async () => undefined, pollIntervalMs: 1, rebootTimeoutMs: 50, log: () => undefined });
  return { mock, login, strategy };
}

describe('ActiveMqStrategy (Amazon MQ API mocked with aws-sdk-client-mock)', () => {
  test('setSecret updates the user (keeping console access and groups) and reboots the broker', async () => {
    const { mock, strategy } = setup();
    await strategy.setSecret(ctx);
    expect(mock.commandCalls(UpdateUserCommand)[0].args[0].input).toEqual({ BrokerId: 'b-amq', Username: 'app', Password: 'new', ConsoleAccess: true, Groups: ['admins'] });
    expect(mock.commandCalls(RebootBrokerCommand)[0].args[0].input).toEqual({ BrokerId: 'b-amq' });
  });

  test('setSecret retried after the reboot applied the password does nothing', async () => {
    const { mock, strategy } = setup(['new']);
    await strategy.setSecret(ctx);
    expect(mock.commandCalls(UpdateUserCommand)).toHaveLength(0);
    expect(mock.commandCalls(RebootBrokerCommand)).toHaveLength(0);
  });

  test('setSecret retried while the broker reboots does not reboot again', async () => {
    const { mock, strategy } = setup();
    mock.on(DescribeBrokerCommand).resolves({ BrokerState: 'REBOOT_IN_PROGRESS' });
    await strategy.setSecret(ctx);
    expect(mock.commandCalls(RebootBrokerCommand)).toHaveLength(0);
  });

  test('setSecret retried after a failed reboot call updates (same password) and reboots', async () => {
    const { mock, strategy } = setup();
    mock.on(RebootBrokerCommand).rejectsOnce(new Error('throttled')).resolves({});
    await expect(strategy.setSecret(ctx)).rejects.toThrow('throttled');
    await strategy.setSecret(ctx);
    expect(mock.commandCalls(UpdateUserCommand).map((c) => c.args[0].input.Password)).toEqual(['new', 'new']);
    expect(mock.commandCalls(RebootBrokerCommand)).toHaveLength(2);
  });

  test('testSecret waits for the reboot, then logs in with the pending password', async () => {
    const { mock, login, strategy } = setup(['new']);
    mock.on(DescribeBrokerCommand).resolvesOnce({ BrokerState: 'REBOOT_IN_PROGRESS' }).resolvesOnce({ BrokerState: 'REBOOT_IN_PROGRESS' }).resolves({ BrokerState: 'RUNNING' });
    await strategy.testSecret(ctx);
    expect(mock.commandCalls(DescribeBrokerCommand)).toHaveLength(3);
    expect(login).toHaveBeenCalledWith(['stomp+ssl://b-amq-1.example:61614', 'stomp+ssl://b-amq-2.example:61614'], creds('new'));
  });

  test.each([
    ['the broker still reboots', { BrokerState: 'REBOOT_IN_PROGRESS' }, {}, ['new'], 'broker b-amq is REBOOT_IN_PROGRESS after 0 minutes; retry the rotation once it runs'],
    ['the change is still pending', { BrokerState: 'RUNNING' }, { Pending: { PendingChange: 'UPDATE' } }, ['new'], 'user app on broker b-amq still has a pending UPDATE'],
    ['the pending password does not log in', { BrokerState: 'RUNNING' }, {}, ['cur'], 'the pending password of app does not log in to broker b-amq over STOMP+SSL'],
  ] as const)('testSecret fails when %s', async (_name, broker, user, works, message) => {
    const { mock, strategy } = setup([...works]);
    mock.on(DescribeBrokerCommand).resolves(broker);
    mock.on(DescribeUserCommand).resolves({ Username: 'app', ...user });
    await expect(strategy.testSecret(ctx)).rejects.toThrow(message);
  });
});
