/**
 * A throwaway RabbitMQ node from the Debian package, on 127.0.0.1 only, with its own config, data,
 * logs, cookie, node name and free ports (management and AMQP), so it never clashes with a system
 * broker or with other tests' brokers.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/lib/rabbitmq/bin';

export function rabbitMqMissing(): string | undefined {
  return fs.existsSync(path.join(BIN, 'rabbitmq-server'))
    ? undefined
    : 'rabbitmq-server is not installed; run scripts/install-integration-deps.sh (apt-get update && apt-get install -y rabbitmq-server)';
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}

export class RabbitMqNode {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-platform-rotation-it-'));
  readonly username = 'app';
  readonly password = `it-${randomBytes(12).toString('hex')}`;
  readonly nodename = `rotationit${process.pid}${randomBytes(2).toString('hex')}@localhost`;
  managementPort = 0;
  amqpPort = 0;
  private distPort = 0;

  get managementUrl(): string {
    return `http://127.0.0.1:${this.managementPort}`;
  }

  private env(): NodeJS.ProcessEnv {
    const d = this.dir;
    return {
      ...process.env,
      HOME: d,
      RABBITMQ_NODENAME: this.nodename,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(this.amqpPort),
      RABBITMQ_CONFIG_FILE: path.join(d, 'rabbitmq'),
      RABBITMQ_ADVANCED_CONFIG_FILE: path.join(d, 'advanced.config'),
      RABBITMQ_CONF_ENV_FILE: path.join(d, 'rabbitmq-env.conf'),
      RABBITMQ_MNESIA_BASE: path.join(d, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(d, 'log'),
      RABBITMQ_PID_FILE: path.join(d, 'rabbitmq.pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(d, 'enabled_plugins'),
      RABBITMQ_DIST_PORT: String(this.distPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
  }

  async start(): Promise<void> {
    this.managementPort = await freePort(15673);
    this.amqpPort = await freePort(5673);
    this.distPort = await freePort(0);
    const d = this.dir;
    fs.mkdirSync(path.join(d, 'log'), { recursive: true });
    fs.writeFileSync(path.join(d, 'rabbitmq-env.conf'), '');
    fs.writeFileSync(path.join(d, 'advanced.config'), '[].\n');
    fs.writeFileSync(path.join(d, 'enabled_plugins'), '[rabbitmq_management].\n');
    fs.writeFileSync(
      path.join(d, 'rabbitmq.conf'),
      [
        `listeners.tcp.default = 127.0.0.1:${this.amqpPort}`,
        `default_user = ${this.username}`,
        `default_pass = ${this.password}`,
        'default_user_tags.administrator = true',
        'loopback_users = none',
        'management.tcp.ip = 127.0.0.1',
        `management.tcp.port = ${this.managementPort}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    await run(path.join(BIN, 'rabbitmq-server'), ['-detached'], { env: this.env() });
    await run(path.join(BIN, 'rabbitmqctl'), ['wait', path.join(d, 'rabbitmq.pid'), '--timeout', '60'], { env: this.env(), timeout: 90000 });
    // The management listener comes up a moment after the node.
    const deadline = Date.now() + 30000;
    for (;;) {
      const up = await fetch(`${this.managementUrl}/api/overview`).then((r) => r.status === 401, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`management API on ${this.managementPort} did not come up`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async stop(): Promise<void> {
    const pidFile = path.join(this.dir, 'rabbitmq.pid');
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      await run(path.join(BIN, 'rabbitmqctl'), ['stop', pidFile], { env: this.env(), timeout: 60000 }).catch(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
