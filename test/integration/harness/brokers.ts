/**
 * Starts throwaway RabbitMQ and ActiveMQ brokers from the Debian packages, on 127.0.0.1 only,
 * with TLS from a CA made at test start. Free ports are picked at random so parallel runs
 * (other worktrees, CI) never collide.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';
export const ACTIVEMQ_JAR = '/usr/share/activemq/bin/activemq.jar';

/** The JVM arguments that start an ActiveMQ broker without systemd from base directory `d` (conf/activemq.xml). */
export function activeMqStartArgs(d: string, jvmArgs: readonly string[] = []): string[] {
  return [
    '-Xms64m',
    '-Xmx256m',
    ...jvmArgs,
    '-Dactivemq.home=/usr/share/activemq',
    `-Dactivemq.base=${d}`,
    `-Dactivemq.conf=${path.join(d, 'conf')}`,
    `-Dactivemq.data=${path.join(d, 'data')}`,
    '-jar',
    ACTIVEMQ_JAR,
    'start',
    `xbean:file:${path.join(d, 'conf', 'activemq.xml')}`,
  ];
}
export const INSTALL_LINE = 'apt-get update && apt-get install -y rabbitmq-server activemq';

/** Returns a message naming what is missing, or undefined when all is installed. */
export function missingPackages(): string | undefined {
  const missing: string[] = [];
  if (!fs.existsSync(path.join(RABBITMQ_BIN, 'rabbitmq-server'))) missing.push('rabbitmq-server');
  if (!fs.existsSync(ACTIVEMQ_JAR)) missing.push('activemq');
  const hasOnPath = (bin: string) => (process.env.PATH ?? '').split(':').some((d) => d && fs.existsSync(path.join(d, bin)));
  if (!hasOnPath('java') && !missing.includes('activemq')) missing.push('activemq (java)');
  if (!hasOnPath('openssl')) missing.push('openssl');
  if (missing.length === 0) return undefined;
  return `integration tests need ${missing.join(', ')}; run as root:\n  ${INSTALL_LINE}${missing.includes('openssl') ? ' openssl' : ''}\n(or scripts/install-integration-deps.sh)`;
}

export function secret(): string {
  // Hex only: safe inside XML and rabbitmq.conf without escaping.
  return randomBytes(12).toString('hex');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

export async function waitForPortClosed(port: number, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`port ${port} still open after ${timeoutMs} ms`);
}

export interface TestCa {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly p12File: string;
  readonly p12Password: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1/localhost. */
export async function makeCa(dir: string): Promise<TestCa> {
  fs.mkdirSync(dir, { recursive: true });
  const p = (f: string) => path.join(dir, f);
  const p12Password = secret();
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=mq-platform-test-ca',
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    '/CN=localhost',
  ]);
  fs.writeFileSync(
    p('ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('server.crt'),
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
  ]);
  await run(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-in',
      p('server.crt'),
      '-inkey',
      p('server.key'),
      '-out',
      p('server.p12'),
      '-passout',
      'env:P12_PASS',
      '-name',
      'server',
    ],
    {
      env: { ...process.env, P12_PASS: p12Password },
    },
  );
  return { dir, caFile: p('ca.crt'), certFile: p('server.crt'), keyFile: p('server.key'), p12File: p('server.p12'), p12Password };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mq-platform-it-${prefix}-`));
}

/** Extra setup of a RabbitMQ node. */
export interface RabbitBrokerOptions {
  /** Plugins enabled besides rabbitmq_management, for example rabbitmq_auth_backend_oauth2. @default none */
  readonly plugins?: readonly string[];
  /** More rabbitmq.conf lines (`key = value`), for example the OAuth 2.0 backend's. @default none */
  readonly extraConf?: readonly string[];
  /** advanced.config (Erlang terms), for settings rabbitmq.conf of 3.10 lacks. @default "[]." */
  readonly advancedConfig?: string;
}

/** A RabbitMQ node with its own config, data, logs, cookie and node name. */
export class RabbitBroker {
  readonly username = 'app';
  readonly password = secret();
  port = 0;
  managementPort = 0;
  private distPort = 0;
  /** A private epmd per run, so teardown can stop it without touching other Erlang nodes. */
  private epmdPort = 0;
  private readonly nodename = `mqit${process.pid}${randomBytes(3).toString('hex')}@localhost`;

  constructor(
    private readonly dir: string,
    private readonly ca: TestCa,
    private readonly options: RabbitBrokerOptions = {},
  ) {}

  private env(): NodeJS.ProcessEnv {
    const d = this.dir;
    return {
      ...process.env,
      HOME: d, // private .erlang.cookie
      RABBITMQ_NODENAME: this.nodename,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_CONFIG_FILE: path.join(d, 'rabbitmq'),
      RABBITMQ_ADVANCED_CONFIG_FILE: path.join(d, 'advanced.config'),
      RABBITMQ_CONF_ENV_FILE: path.join(d, 'rabbitmq-env.conf'),
      RABBITMQ_MNESIA_BASE: path.join(d, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(d, 'log'),
      RABBITMQ_PID_FILE: path.join(d, 'rabbitmq.pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(d, 'enabled_plugins'),
      RABBITMQ_DIST_PORT: String(this.distPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_EPMD_PORT: String(this.epmdPort),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
  }

  async start(): Promise<void> {
    if (!this.port) {
      this.port = await freePort();
      this.managementPort = await freePort();
      this.distPort = await freePort();
      this.epmdPort = await freePort();
      fs.mkdirSync(path.join(this.dir, 'log'), { recursive: true });
      fs.writeFileSync(path.join(this.dir, 'rabbitmq-env.conf'), '');
      fs.writeFileSync(path.join(this.dir, 'advanced.config'), `${this.options.advancedConfig ?? '[].'}\n`);
      fs.writeFileSync(
        path.join(this.dir, 'enabled_plugins'),
        `[${['rabbitmq_management', ...(this.options.plugins ?? [])].join(',')}].\n`,
      );
      fs.writeFileSync(
        path.join(this.dir, 'rabbitmq.conf'),
        [
          'listeners.tcp = none',
          `listeners.ssl.1 = 127.0.0.1:${this.port}`,
          `ssl_options.cacertfile = ${this.ca.caFile}`,
          `ssl_options.certfile = ${this.ca.certFile}`,
          `ssl_options.keyfile = ${this.ca.keyFile}`,
          'ssl_options.verify = verify_none',
          'ssl_options.fail_if_no_peer_cert = false',
          `default_user = ${this.username}`,
          `default_pass = ${this.password}`,
          // The management API's user changes (credential rotation) need an administrator.
          'default_user_tags.administrator = true',
          'loopback_users = none',
          'management.tcp.ip = 127.0.0.1',
          `management.tcp.port = ${this.managementPort}`,
          ...(this.options.extraConf ?? []),
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
    }
    await run(path.join(RABBITMQ_BIN, 'rabbitmq-server'), ['-detached'], { env: this.env() });
    rabbitPidFiles.add(path.join(this.dir, 'rabbitmq.pid'));
    await run(path.join(RABBITMQ_BIN, 'rabbitmqctl'), ['wait', path.join(this.dir, 'rabbitmq.pid'), '--timeout', '60'], {
      env: this.env(),
      timeout: 90000,
    });
    await waitForPort(this.port);
    await waitForPort(this.managementPort); // the management listener comes up a moment after the node
  }

  /** The management HTTP API (plain HTTP on loopback; Amazon MQ serves it over HTTPS on 443). */
  get managementUrl(): string {
    return `http://127.0.0.1:${this.managementPort}`;
  }

  async stop(): Promise<void> {
    const pidFile = path.join(this.dir, 'rabbitmq.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    try {
      await run(path.join(RABBITMQ_BIN, 'rabbitmqctl'), ['stop', pidFile], { env: this.env(), timeout: 60000 });
    } catch {
      killPid(pid, 'SIGKILL');
    }
    await waitForPortClosed(this.port);
    fs.rmSync(pidFile, { force: true });
    rabbitPidFiles.delete(pidFile);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the node and its private epmd. */
  async shutdown(): Promise<void> {
    await this.stop();
    if (this.epmdPort) await run('epmd', ['-port', String(this.epmdPort), '-kill'], { env: this.env() }).catch(() => undefined);
  }
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    if (pid > 0) process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** A user of a local ActiveMQ broker (simpleAuthenticationPlugin). */
export interface ActiveMqUser {
  readonly username: string;
  readonly password: string;
  readonly groups?: readonly string[];
}

export interface ActiveMqBrokerOptions {
  /** Users instead of the single `app` user; `setUsers()` changes them for the next start. @default [app] */
  readonly users?: readonly ActiveMqUser[];
  /**
   * KahaDB directory shared with another instance: the two form a shared-storage master/slave pair
   * (the file lock decides which one serves), as Amazon MQ's active/standby does on shared storage.
   * @default a private directory
   */
  readonly sharedKahaDbDir?: string;
  /** Fixed STOMP+SSL port. @default a free port */
  readonly port?: number;
  /** Content of <plugins> instead of the simpleAuthenticationPlugin of `users` (e.g. JAAS LDAP). @default the users' plugin */
  readonly plugins?: string;
  /** More JVM options (system properties such as the JAAS login config). @default none */
  readonly jvmArgs?: readonly string[];
  /**
   * An Amazon MQ configuration document (`<broker xmlns="...">...</broker>`, as mq-platform
   * generates it) merged into the broker: its attributes onto `<broker>`, its `<plugins>` children
   * after the authentication plugin, its other children before `<sslContext>`.
   * @default - none
   */
  readonly amazonMqConfiguration?: string;
}

/** An ActiveMQ broker run as a java child process from a private activemq.base. */
export class ActiveMqBroker {
  readonly username = 'app';
  port = 0;
  private child?: ChildProcess;
  private users: readonly ActiveMqUser[];

  /** Pass the same password to both instances of an active/standby pair, as Amazon MQ has one user store. */
  constructor(
    private readonly dir: string,
    private readonly ca: TestCa,
    private readonly name: string,
    readonly password: string = secret(),
    private readonly options: ActiveMqBrokerOptions = {},
  ) {
    this.users = options.users ?? [{ username: this.username, password: this.password, groups: ['users', 'admins'] }];
    if (options.port) this.port = options.port;
  }

  /** The users the broker loads at its next start (Amazon MQ applies user changes only at a reboot). */
  setUsers(users: readonly ActiveMqUser[]): void {
    this.users = users;
  }

  /** Starts and waits until the STOMP+SSL port answers. */
  async start(): Promise<void> {
    const child = await this.launch();
    await Promise.race([
      waitForPort(this.port),
      new Promise((_r, reject) =>
        child.once('exit', (code) => reject(new Error(`activemq ${this.name} exited with ${code}; see ${this.logFile}`))),
      ),
    ]);
  }

  get logFile(): string {
    return path.join(this.dir, 'activemq.out');
  }

  /** Starts the JVM without waiting: a standby of a shared-storage pair opens no port until it holds the lock. */
  async launch(): Promise<ChildProcess> {
    const d = this.dir;
    if (!this.port) this.port = await freePort();
    fs.mkdirSync(path.join(d, 'conf'), { recursive: true });
    fs.mkdirSync(path.join(d, 'data'), { recursive: true });
    fs.writeFileSync(
      path.join(d, 'conf', 'activemq.xml'),
      activeMqXml(
        this.name,
        d,
        this.port,
        this.ca,
        this.users,
        this.options.sharedKahaDbDir,
        this.options.plugins,
        this.options.amazonMqConfiguration,
      ),
      { mode: 0o600 },
    );
    // Broker log lines (startup, the shared-storage lock) go to activemq.out.
    const log4j = path.join(d, 'conf', 'log4j.properties');
    fs.writeFileSync(
      log4j,
      'log4j.rootLogger=WARN, out\nlog4j.logger.org.apache.activemq.broker=INFO\nlog4j.logger.org.apache.activemq.store=INFO\nlog4j.logger.org.apache.activemq.util=INFO\nlog4j.appender.out=org.apache.log4j.ConsoleAppender\nlog4j.appender.out.layout=org.apache.log4j.PatternLayout\nlog4j.appender.out.layout.ConversionPattern=%d %-5p %c{1} - %m%n\n',
    );
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(
      'java',
      activeMqStartArgs(d, ['-Djava.awt.headless=true', ...(this.options.jvmArgs ?? []), `-Dlog4j.configuration=file:${log4j}`]),
      { cwd: d, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    liveChildren.add(this.child);
    const child = this.child;
    child.once('exit', () => liveChildren.delete(child));
    return child;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Graceful stop (SIGTERM lets KahaDB flush), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

const liveChildren = new Set<ChildProcess>();
const rabbitPidFiles = new Set<string>();
// Safety net: never leave a broker behind if a test run aborts.
process.on('exit', () => {
  for (const c of liveChildren) c.kill('SIGKILL');
  for (const f of rabbitPidFiles) {
    try {
      killPid(Number(fs.readFileSync(f, 'utf8').trim()), 'SIGKILL');
    } catch {
      // no pid file: not started
    }
  }
});

function xmlAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The parts of an Amazon MQ `<broker>` document the harness merges into its own broker. */
function amazonMqParts(doc: string | undefined): { attributes: string; plugins: string; children: string } {
  if (!doc) return { attributes: '', plugins: '', children: '' };
  const m = /<broker\b([^>]*)>([\s\S]*)<\/broker>/.exec(doc);
  if (!m) throw new Error('amazonMqConfiguration: no <broker> element');
  const attributes = m[1].replace(/\s+xmlns="[^"]*"/, '');
  const plugins = /<plugins>([\s\S]*?)<\/plugins>/.exec(m[2]);
  return { attributes, plugins: plugins?.[1] ?? '', children: m[2].replace(/<plugins>[\s\S]*?<\/plugins>/, '') };
}

function activeMqXml(
  name: string,
  d: string,
  port: number,
  ca: TestCa,
  users: readonly ActiveMqUser[],
  sharedKahaDbDir?: string,
  plugins?: string,
  amazonMqConfiguration?: string,
): string {
  const extra = amazonMqParts(amazonMqConfiguration);
  const userLines = users
    .map(
      (u) =>
        `          <authenticationUser username="${xmlAttr(u.username)}" password="${xmlAttr(u.password)}" groups="${xmlAttr((u.groups ?? ['users']).join(',') || 'users')}"/>`,
    )
    .join('\n');
  // A standby polls the shared lock every second (default 10 s) so a failover takes seconds.
  const kahaDb = sharedKahaDbDir
    ? `<kahaDB directory="${sharedKahaDbDir}" lockKeepAlivePeriod="1000"><locker><shared-file-locker lockAcquireSleepInterval="1000"/></locker></kahaDB>`
    : `<kahaDB directory="${d}/data/kahadb"/>`;
  return `<beans xmlns="http://www.springframework.org/schema/beans" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" useJmx="false" brokerName="${name}" dataDirectory="${d}/data" persistent="true"${extra.attributes}>
    <plugins>
      ${
        plugins ??
        `<simpleAuthenticationPlugin anonymousAccessAllowed="false">
        <users>
${userLines}
        </users>
      </simpleAuthenticationPlugin>`
      }${extra.plugins}
    </plugins>${extra.children}
    <sslContext>
      <sslContext keyStore="file:${ca.p12File}" keyStorePassword="${ca.p12Password}" keyStoreType="PKCS12"/>
    </sslContext>
    <persistenceAdapter>
      ${kahaDb}
    </persistenceAdapter>
    <systemUsage>
      <systemUsage>
        <memoryUsage><memoryUsage limit="64 mb"/></memoryUsage>
        <storeUsage><storeUsage limit="1 gb"/></storeUsage>
        <tempUsage><tempUsage limit="256 mb"/></tempUsage>
      </systemUsage>
    </systemUsage>
    <transportConnectors>
      <transportConnector name="stomp+ssl" uri="stomp+ssl://127.0.0.1:${port}"/>
    </transportConnectors>
  </broker>
</beans>
`;
}
