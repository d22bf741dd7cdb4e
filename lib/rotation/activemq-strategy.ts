import { DescribeBrokerCommand, DescribeUserCommand, RebootBrokerCommand, UpdateUserCommand, type MqClient } from '@aws-sdk/client-mq';
import { stompLoginProbe, type LoginProbe } from './stomp-login';
import type { EngineStrategy, RotationContext } from './types';

export interface ActiveMqStrategyProps {
  readonly mq: MqClient;
  /** @default stompLoginProbe() */
  readonly login?: LoginProbe;
  /** How long testSecret waits for the reboot. @default 12 minutes (the function's timeout is 15) */
  readonly rebootTimeoutMs?: number;
  /** @default 15 seconds */
  readonly pollIntervalMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default console.log of one JSON line */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Amazon MQ for ActiveMQ keeps users in the service: `UpdateUser` records a pending change that
 * takes effect only when the broker reboots (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/managing-broker-configurations.html).
 * Strategy: update, then reboot at once; the schedule puts the rotation inside the broker's
 * maintenance window. Active/standby brokers fail over (clients reconnect); single-instance brokers
 * are down for the reboot, which is why they must opt in.
 */
export class ActiveMqStrategy implements EngineStrategy {
  private readonly mq: MqClient;
  private readonly login: LoginProbe;
  private readonly rebootTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: NonNullable<ActiveMqStrategyProps['log']>;

  constructor(props: ActiveMqStrategyProps) {
    this.mq = props.mq;
    this.login = props.login ?? stompLoginProbe();
    this.rebootTimeoutMs = props.rebootTimeoutMs ?? 12 * 60 * 1000;
    this.pollIntervalMs = props.pollIntervalMs ?? 15000;
    this.sleep = props.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.log = props.log ?? ((message, fields) => console.log(JSON.stringify({ message, ...fields })));
  }

  /**
   * Records the pending password and reboots, unless that already happened: the pending password
   * logs in, or a reboot is under way. A retry before the reboot repeats UpdateUser with the same
   * password (idempotent) and reboots.
   */
  async setSecret(ctx: RotationContext): Promise<void> {
    const { brokerId } = ctx.broker;
    if (await this.login(this.endpoints(ctx), ctx.pending)) {
      this.log('setSecret: the broker already accepts the pending password', { broker: brokerId });
      return;
    }
    const broker = await this.mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    if (broker.BrokerState === 'REBOOT_IN_PROGRESS') {
      this.log('setSecret: a reboot is under way; testSecret waits for it', { broker: brokerId });
      return;
    }
    const user = await this.mq.send(new DescribeUserCommand({ BrokerId: brokerId, Username: ctx.pending.username }));
    // Passing the user's console access and groups back keeps them as they are.
    await this.mq.send(
      new UpdateUserCommand({ BrokerId: brokerId, Username: ctx.pending.username, Password: ctx.pending.password, ConsoleAccess: user.ConsoleAccess, Groups: user.Groups }),
    );
    await this.mq.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    this.log('setSecret: user updated, broker rebooting to apply it', { broker: brokerId });
  }

  /** Waits for the broker to run again with no pending user change, then logs in with the pending password. */
  async testSecret(ctx: RotationContext): Promise<void> {
    const { brokerId } = ctx.broker;
    const deadline = Date.now() + this.rebootTimeoutMs;
    for (;;) {
      const broker = await this.mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
      if (broker.BrokerState === 'RUNNING') break;
      if (Date.now() >= deadline) {
        throw new Error(`broker ${brokerId} is ${String(broker.BrokerState)} after ${Math.round(this.rebootTimeoutMs / 60000)} minutes; retry the rotation once it runs`);
      }
      await this.sleep(this.pollIntervalMs);
    }
    const user = await this.mq.send(new DescribeUserCommand({ BrokerId: brokerId, Username: ctx.pending.username }));
    if (user.Pending) {
      throw new Error(`user ${ctx.pending.username} on broker ${brokerId} still has a pending ${String(user.Pending.PendingChange)}; the broker has not applied it (reboot it, then retry the rotation)`);
    }
    if (!(await this.login(this.endpoints(ctx), ctx.pending))) {
      throw new Error(`the pending password of ${ctx.pending.username} does not log in to broker ${brokerId} over STOMP+SSL`);
    }
    this.log('testSecret: the pending password logs in', { broker: brokerId });
  }

  private endpoints(ctx: RotationContext): string[] {
    const list = (ctx.broker.stompEndpoints ?? '').split(',').filter(Boolean);
    if (list.length === 0) throw new Error(`broker ${ctx.broker.brokerId} has no STOMP endpoints`);
    return list;
  }
}
