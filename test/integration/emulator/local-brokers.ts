/**
 * Backends that put real local brokers (test/integration/harness/brokers.ts) behind the emulated
 * Amazon MQ API: a reboot restarts the processes, and an ActiveMQ reboot loads the users the
 * emulator has applied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActiveMqBroker, type RabbitBroker, type TestCa, waitForPort } from '../harness/brokers';
import type { BrokerBackend, EmulatedUser } from './amazon-mq';

const toLocal = (users: readonly EmulatedUser[]) => users.map((u) => ({ username: u.username, password: u.password, groups: u.groups }));

/**
 * ActiveMQ as SINGLE_INSTANCE (one JVM) or ACTIVE_STANDBY_MULTI_AZ (two JVMs on one KahaDB
 * directory; the file lock makes one active, the other waits without opening its port). A reboot
 * of a pair is rolling, one instance at a time as Amazon MQ's maintenance is: the standby restarts
 * with the new users, then the active stops, the standby takes the lock and serves, and the old
 * active comes back as the standby. Clients see one failover.
 */
export class LocalActiveMq implements BrokerBackend {
  readonly instances: ActiveMqBroker[];
  private active = 0;
  /** Reboots done (restarts of the whole broker), for the soak's counts. */
  reboots = 0;

  constructor(
    dir: string,
    ca: TestCa,
    name: string,
    users: readonly EmulatedUser[],
    readonly mode: 'SINGLE_INSTANCE' | 'ACTIVE_STANDBY_MULTI_AZ',
  ) {
    const shared = mode === 'ACTIVE_STANDBY_MULTI_AZ' ? path.join(dir, 'shared-kahadb') : undefined;
    const count = mode === 'ACTIVE_STANDBY_MULTI_AZ' ? 2 : 1;
    this.instances = Array.from(
      { length: count },
      (_, i) =>
        new ActiveMqBroker(path.join(dir, `${name}-${i + 1}`), ca, name, undefined, { users: toLocal(users), sharedKahaDbDir: shared }),
    );
  }

  /** STOMP+SSL endpoints, one per instance, in instance order. */
  get endpoints(): string[] {
    return this.instances.map((i) => `stomp+ssl://127.0.0.1:${i.port}`);
  }

  async start(): Promise<void> {
    await this.instances[0].start();
    if (this.instances[1]) await this.startStandby(this.instances[1]);
  }

  async reboot(users: readonly EmulatedUser[]): Promise<void> {
    for (const i of this.instances) i.setUsers(toLocal(users));
    if (this.instances.length === 1) {
      await this.instances[0].restart();
    } else {
      const active = this.instances[this.active];
      const standby = this.instances[1 - this.active];
      await standby.stop();
      await this.startStandby(standby);
      await active.stop();
      await waitForPort(standby.port, 60000);
      this.active = 1 - this.active;
      await this.startStandby(active);
    }
    this.reboots++;
  }

  async stop(): Promise<void> {
    // Standby first, so it does not take over while the active stops.
    for (const i of [...this.instances].reverse()) await i.stop();
  }

  /** Starts an instance that must wait for the lock, and returns once it is waiting for it. */
  private async startStandby(b: ActiveMqBroker): Promise<void> {
    const from = fs.existsSync(b.logFile) ? fs.statSync(b.logFile).size : 0;
    const child = await b.launch();
    const deadline = Date.now() + 60000;
    for (;;) {
      const log = fs.readFileSync(b.logFile, 'utf8').slice(from);
      if (/is locked by another server|waiting a lock|slave mode/i.test(log)) return;
      if (child.exitCode !== null) throw new Error(`standby ${b.logFile} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`standby did not reach the shared lock within 60 s; see ${b.logFile}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** RabbitMQ keeps its users in the broker; a reboot restarts the node. */
export class LocalRabbit implements BrokerBackend {
  reboots = 0;
  constructor(readonly node: RabbitBroker) {}

  async reboot(): Promise<void> {
    await this.node.restart();
    this.reboots++;
  }
}
