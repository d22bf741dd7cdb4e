import { DescribeSecretCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { SecretRotator } from '../../lib/rotation/secret-rotator';
import type { BrokerTarget, EngineStrategy, RotationContext } from '../../lib/rotation/types';
import { FakeSecretsManager } from '../support/fake-secrets-manager';

// AWS APIs here are aws-sdk-client-mock (test/support/fake-secrets-manager.ts), never AWS.
const NAME = 'mq-platform/test/rmq/app';
const BROKERS: BrokerTarget[] = [
  { secretNamePrefix: 'mq-platform/test/rmq/', engine: 'RABBITMQ', brokerId: 'b-rmq', managementUrl: 'https://b-rmq.example' },
  { secretNamePrefix: 'mq-platform/test/amq/', engine: 'ACTIVEMQ', brokerId: 'b-amq', stompEndpoints: 'stomp+ssl://b-amq-1.example:61614' },
];

function setup() {
  const sm = new FakeSecretsManager(NAME, { username: 'app', password: 'old-password-123456' });
  const seen: Array<[string, RotationContext]> = [];
  const strategy: EngineStrategy = {
    setSecret: jest.fn(async (ctx) => void seen.push(['set', ctx])),
    testSecret: jest.fn(async (ctx) => void seen.push(['test', ctx])),
  };
  const other: EngineStrategy = { setSecret: jest.fn(), testSecret: jest.fn() };
  let n = 0;
  const rotator = new SecretRotator({
    secretsManager: sm.client,
    brokers: BROKERS,
    strategies: { RABBITMQ: strategy, ACTIVEMQ: other },
    log: () => undefined,
    newPassword: () => `new-password-${++n}-abcdefgh`,
  });
  return { sm, rotator, strategy, other, seen, handler: (e: Parameters<SecretRotator['handle']>[0]) => rotator.handle(e) };
}

describe('SecretRotator (Secrets Manager steps, mocked with aws-sdk-client-mock)', () => {
  test('createSecret stores a new password as AWSPENDING, keeping the username', async () => {
    const { sm, handler } = setup();
    const token = sm.startRotation();
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'createSecret' });
    expect(sm.value('AWSPENDING')).toEqual({ username: 'app', password: 'new-password-1-abcdefgh' });
    expect(sm.value('AWSCURRENT')).toEqual({ username: 'app', password: 'old-password-123456' });
  });

  test('createSecret retried keeps the first pending password (no second PutSecretValue)', async () => {
    const { sm, handler } = setup();
    const token = sm.startRotation();
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'createSecret' });
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'createSecret' });
    expect(sm.mock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    expect(sm.value('AWSPENDING')?.password).toBe('new-password-1-abcdefgh');
  });

  test('setSecret and testSecret hand the engine strategy current, pending and broker', async () => {
    const { sm, handler, seen, other } = setup();
    const token = sm.startRotation();
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'createSecret' });
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'setSecret' });
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'testSecret' });
    expect(seen.map(([s]) => s)).toEqual(['set', 'test']);
    const ctx = seen[0][1];
    expect(ctx.broker.brokerId).toBe('b-rmq');
    expect(ctx.current.password).toBe('old-password-123456');
    expect(ctx.pending.password).toBe('new-password-1-abcdefgh');
    expect(ctx.previous).toBeUndefined();
    expect(other.setSecret).not.toHaveBeenCalled();
  });

  test('finishSecret moves AWSCURRENT; the old version becomes AWSPREVIOUS; a retry is a no-op', async () => {
    const { sm, handler } = setup();
    const token = await sm.rotate(handler);
    expect(sm.holder('AWSCURRENT')).toBe(token);
    expect(sm.value('AWSPREVIOUS')?.password).toBe('old-password-123456');
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'finishSecret' });
    expect(sm.mock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1);
  });

  test('a failed setSecret leaves AWSCURRENT alone, and a retry of the same token completes', async () => {
    const { sm, handler, strategy } = setup();
    (strategy.setSecret as jest.Mock).mockRejectedValueOnce(new Error('broker unreachable'));
    const token = sm.startRotation();
    await expect(sm.rotate(handler, token)).rejects.toThrow('broker unreachable');
    expect(sm.value('AWSCURRENT')?.password).toBe('old-password-123456');
    await sm.rotate(handler, token);
    expect(sm.value('AWSCURRENT')?.password).toBe('new-password-1-abcdefgh');
    expect(sm.mock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
  });

  test('a second rotation passes AWSPREVIOUS to the strategy', async () => {
    const { sm, handler, seen } = setup();
    await sm.rotate(handler);
    await sm.rotate(handler);
    const last = seen[seen.length - 1][1];
    expect(last.previous?.password).toBe('old-password-123456');
    expect(last.current.password).toBe('new-password-1-abcdefgh');
    expect(last.pending.password).toBe('new-password-2-abcdefgh');
  });

  test('steps on a version that is already AWSCURRENT do nothing', async () => {
    const { sm, handler, strategy } = setup();
    const token = await sm.rotate(handler);
    (strategy.setSecret as jest.Mock).mockClear();
    await handler({ SecretId: NAME, ClientRequestToken: token, Step: 'setSecret' });
    expect(strategy.setSecret).not.toHaveBeenCalled();
  });

  test.each([
    ['rotation off', { RotationEnabled: false, Name: NAME }, 'secret mq-platform/test/rmq/app does not have rotation enabled'],
    ['unknown token', { RotationEnabled: true, Name: NAME, VersionIdsToStages: {} }, 'version t1 of secret mq-platform/test/rmq/app has no stage; start a new rotation'],
    ['token not pending', { RotationEnabled: true, Name: NAME, VersionIdsToStages: { t1: ['AWSPREVIOUS'] } }, 'version t1 of secret mq-platform/test/rmq/app is not AWSPENDING'],
    ['secret of no broker', { RotationEnabled: true, Name: 'other/secret', VersionIdsToStages: { t1: ['AWSPENDING'] } }, 'secret other/secret belongs to no broker this function rotates'],
  ])('refuses: %s', async (_name, describe, message) => {
    const { sm, handler } = setup();
    sm.mock.on(DescribeSecretCommand).resolves(describe);
    await expect(handler({ SecretId: NAME, ClientRequestToken: 't1', Step: 'createSecret' })).rejects.toThrow(message);
  });
});
