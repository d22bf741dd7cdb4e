import { STSClient } from '@aws-sdk/client-sts';
import * as fs from 'node:fs';
import { MqClient } from '@aws-sdk/client-mq';
import { parseArgs } from 'node:util';
import { BrokerCredentials, BrokerDirectory, BrokerInfo, parseSecretJson } from '../client/broker-directory';
import { MASK, buildConnectInfo, endpointsByProtocol } from '../client/connect-info';
import { ldapLines } from '../client/ldap-info';
import { buildTokenConnectInfo, tokenLines } from '../client/token-connect-info';
import { cliTokenSource } from '../client/token-cli';
import { TokenSource } from '../client/token-source';
import { engineForProtocol, parseEndpoint } from '../client/endpoint';
import { MqPlatformError } from '../client/errors';
import { createMessagingClient } from '../client/factory';
import { Engine, MessagingClient, MessagingClientOptions } from '../client/messaging-client';
import { roundTrip } from '../client/round-trip';
import { regionFromConfig } from './config-region';
import { DRIFT_EXIT, driftOf, lambdaInvoker, renderDrift, type DriftOptions } from './drift';
import { EXIT, exitCodeFor } from './exit-codes';
import { BIN, HELP } from './help';
import { OutputStream, Progress } from './progress';
import { crdrPairFromConfig, parseMode, promote, renderPromoteResult, type PromoteDeps } from './promote';

/** What the CLI touches outside itself; tests replace parts of it. */
export interface CliDeps {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** @default new BrokerDirectory(props) */
  readonly directory?: (props: { region?: string; profile?: string }) => BrokerDirectory;
  /** @default lambdaInvoker (drift asks the environment's rotation function) */
  readonly lambdaInvoker?: (props: { region?: string; profile?: string }) => DriftOptions['invoke'];
  /** @default createMessagingClient */
  readonly messagingClient?: (engine: Engine, options: MessagingClientOptions) => MessagingClient;
  /** STS client for IAM tokens. @default new STSClient(props) */
  readonly sts?: (props: { region?: string; profile?: string }) => STSClient;
  /** promote: Amazon MQ clients per Region, polling. @default real clients, 10 s polls */
  readonly promote?: Partial<Omit<PromoteDeps, 'log'>>;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  env: { type: 'string', short: 'e' },
  region: { type: 'string' },
  profile: { type: 'string' },
  user: { type: 'string', short: 'u' },
  'show-secret': { type: 'boolean' },
  endpoint: { type: 'string', multiple: true },
  'ca-file': { type: 'string' },
  'secret-json-file': { type: 'string' },
  timeout: { type: 'string' },
  'management-url': { type: 'string' },
  config: { type: 'string' },
  broker: { type: 'string', short: 'b' },
  mode: { type: 'string' },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

const GLOBAL_OPTS = ['help', 'json', 'debug', 'env', 'region', 'profile'];
const COMMAND_OPTS: Record<string, string[]> = {
  list: [],
  endpoints: [],
  'connect-info': ['user', 'show-secret'],
  check: ['user', 'endpoint', 'ca-file', 'secret-json-file', 'timeout'],
  drift: ['management-url', 'secret-json-file', 'config'],
  promote: ['broker', 'mode', 'timeout'],
};

interface Ctx {
  readonly deps: CliDeps;
  readonly values: Values;
  readonly progress: Progress;
  readonly region?: string;
}

/** Runs the CLI; resolves to the exit code. Never throws. */
export async function main(argv: string[], deps: CliDeps): Promise<number> {
  let values: Values = {};
  let command: string | undefined;
  const progress = new Progress(deps.stderr);
  try {
    let positionals: string[];
    try {
      const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
      values = parsed.values as Values;
      positionals = parsed.positionals;
    } catch (e) {
      throw new MqPlatformError('usage', (e as Error).message.split('\n')[0], { hint: `run '${BIN} --help'` });
    }
    const [first, ...rest] = positionals;
    command = first;
    if (!command) {
      if (values.help) {
        deps.stdout.write(HELP.main + '\n');
        return EXIT.OK;
      }
      throw new MqPlatformError('usage', 'no command given', { hint: `run '${BIN} --help'` });
    }
    if (!(command in COMMAND_OPTS)) {
      throw new MqPlatformError('usage', `unknown command "${command}"`, { hint: `commands: ${Object.keys(COMMAND_OPTS).join(', ')}` });
    }
    if (values.help) {
      deps.stdout.write(HELP[command] + '\n');
      return EXIT.OK;
    }
    const allowed = new Set([...GLOBAL_OPTS, ...COMMAND_OPTS[command]]);
    for (const k of Object.keys(values)) {
      if (!allowed.has(k))
        throw new MqPlatformError('usage', `option --${k} does not apply to ${command}`, { hint: `run '${BIN} ${command} --help'` });
    }
    if (command === 'drift') return await drift(deps, values, progress, rest);
    if (command === 'promote') return await runPromote(values, deps, rest);
    const wantsBroker = command !== 'list';
    if (wantsBroker && rest.length !== 1) {
      throw new MqPlatformError('usage', rest.length ? `${command} takes one broker, got ${rest.length}` : `${command} needs a <broker>`, {
        hint: `run '${BIN} ${command} --help'`,
      });
    }
    if (!wantsBroker && rest.length)
      throw new MqPlatformError('usage', `list takes no arguments, got "${rest[0]}"`, { hint: 'use --env <name> to filter' });

    const region =
      values.region ??
      (values.env && !deps.env.AWS_REGION && !deps.env.AWS_DEFAULT_REGION ? regionFromConfig(values.env, deps.cwd) : undefined);
    const ctx: Ctx = { deps, values, progress, region };
    switch (command) {
      case 'list':
        return await list(ctx);
      case 'endpoints':
        return await endpoints(ctx, rest[0]);
      case 'connect-info':
        return await connectInfo(ctx, rest[0]);
      default:
        return await check(ctx, rest[0]);
    }
  } catch (e) {
    progress.stop();
    const code = reportError(e, values, deps);
    return command === 'drift' ? DRIFT_EXIT.ERROR : code;
  } finally {
    progress.stop();
  }
}

function reportError(e: unknown, values: Values, deps: CliDeps): number {
  const err =
    e instanceof MqPlatformError
      ? e
      : new MqPlatformError('protocol', `unexpected error: ${(e as Error)?.message ?? String(e)}`, {
          hint: 'rerun with --debug and report it',
          cause: e,
        });
  deps.stderr.write(`${BIN}: error: ${err.message}${err.hint ? ` (${err.hint})` : ''}\n`);
  if (values.debug) {
    let c: unknown = err;
    while (c) {
      deps.stderr.write(`${(c as Error).stack ?? String(c)}\n`);
      c = (c as Error).cause;
    }
  }
  if (values.json)
    deps.stdout.write(JSON.stringify({ ok: false, error: { kind: err.kind, message: err.message, hint: err.hint } }, null, 2) + '\n');
  return exitCodeFor(err.kind);
}

const directories = new WeakMap<Ctx, BrokerDirectory>();

/** One directory (one pair of SDK clients) per CLI run. */
function directory(ctx: Ctx): BrokerDirectory {
  let d = directories.get(ctx);
  if (!d) {
    const props = { region: ctx.region, profile: ctx.values.profile };
    d = ctx.deps.directory ? ctx.deps.directory(props) : new BrokerDirectory(props);
    directories.set(ctx, d);
  }
  return d;
}

function out(ctx: Ctx, json: unknown, human: string): void {
  ctx.progress.stop();
  ctx.deps.stdout.write(ctx.values.json ? JSON.stringify(json, null, 2) + '\n' : human + (human.endsWith('\n') ? '' : '\n'));
}

async function describe(ctx: Ctx, ref: string): Promise<BrokerInfo> {
  ctx.progress.update(`looking up broker ${ref}`);
  return directory(ctx).describe(ref, ctx.values.env);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_c, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

async function list(ctx: Ctx): Promise<number> {
  ctx.progress.update('listing brokers');
  const brokers = await directory(ctx).list(ctx.values.env);
  const where = `${ctx.region ?? ctx.deps.env.AWS_REGION ?? ctx.deps.env.AWS_DEFAULT_REGION ?? 'the default region'}${ctx.values.env ? `, environment ${ctx.values.env}` : ''}`;
  if (brokers.length === 0 && !ctx.values.json) {
    ctx.progress.stop();
    ctx.deps.stderr.write(`no brokers found in ${where}\n`);
    return EXIT.OK;
  }
  const rows = [['NAME', 'ENGINE', 'MODE', 'STATE', 'ID'], ...brokers.map((b) => [b.name, b.engine, b.mode, b.state, b.id])];
  out(ctx, brokers, table(rows));
  return EXIT.OK;
}

async function endpoints(ctx: Ctx, ref: string): Promise<number> {
  const b = await describe(ctx, ref);
  const lines = [`${b.name} (${b.engine} ${b.engineVersion ?? ''}, ${b.mode}, ${b.state})`.replace(' ,', ',')];
  b.instances.forEach((inst, i) => {
    lines.push(`instance ${i + 1}${inst.ipAddress ? ` (${inst.ipAddress})` : ''}:`);
    for (const e of inst.endpoints) lines.push(`  ${e}`);
    if (inst.consoleUrl) lines.push(`  console ${inst.consoleUrl}`);
  });
  if (b.instances.length === 0) lines.push(`no endpoints yet (state ${b.state})`);
  out(
    ctx,
    {
      broker: b.name,
      id: b.id,
      engine: b.engine,
      engineVersion: b.engineVersion,
      mode: b.mode,
      state: b.state,
      endpoints: endpointsByProtocol(b),
      consoleUrls: b.instances.map((i) => i.consoleUrl).filter(Boolean),
      instances: b.instances,
    },
    lines.join('\n'),
  );
  return EXIT.OK;
}

async function connectInfo(ctx: Ctx, ref: string): Promise<number> {
  const b = await describe(ctx, ref);
  if (b.token) {
    // IAM/OAuth 2.0: no secret to read; say how to get the token.
    const info = buildTokenConnectInfo(b);
    out(ctx, info, tokenLines(info).join('\n'));
    return EXIT.OK;
  }
  ctx.progress.update('reading credentials');
  const creds = await directory(ctx).credentials(b, ctx.values.user);
  const info = buildConnectInfo(b, creds, { showSecret: ctx.values['show-secret'] });
  const lines = [
    `${info.broker} (${info.engine}, ${info.mode})`,
    `user ${info.username} from ${info.credentialsSource}; password ${info.password === MASK ? 'masked (use --show-secret)' : info.password}`,
  ];
  if (info.amqplib) lines.push(`amqplib URL:            ${info.amqplib.url}`);
  if (info.stomp) {
    lines.push(
      `STOMP over TLS:         ${info.stomp.endpoints.map((e) => `${e.host}:${e.port}`).join(', ')}${info.stomp.endpoints.length > 1 ? ' (try in order)' : ''}`,
    );
    lines.push(`  connect headers:      login=${info.stomp.connectHeaders.login} passcode=${info.stomp.connectHeaders.passcode}`);
  }
  if (info.jms) lines.push(`JMS/OpenWire brokerURL: ${info.jms.brokerUrl}`);
  if (info.amqp10) lines.push(`AMQP 1.0 over TLS:      ${info.amqp10.endpoints.join(', ')}`);
  for (const u of info.consoleUrls) lines.push(`console:                ${u}`);
  if (info.ldap) lines.push(...ldapLines(info.ldap));
  out(ctx, info, lines.join('\n'));
  return EXIT.OK;
}

/** `drift [<broker>] --env <name>`: 0 no drift, 1 drift, 2 error (any). */
async function drift(deps: CliDeps, values: Values, progress: Progress, rest: string[]): Promise<number> {
  if (!values.env) throw new MqPlatformError('usage', 'drift needs --env <name>', { hint: `run '${BIN} drift --help'` });
  if (rest.length > 1) throw new MqPlatformError('usage', `drift takes at most one broker, got ${rest.length}`);
  const region =
    values.region ?? (!deps.env.AWS_REGION && !deps.env.AWS_DEFAULT_REGION ? regionFromConfig(values.env, deps.cwd) : undefined);
  const ctx: Ctx = { deps, values, progress, region };
  const result = await driftOf({
    environment: values.env,
    broker: rest[0],
    configFile: values.config,
    cwd: deps.cwd,
    managementUrl: values['management-url'],
    credentials: localCredentials(ctx),
    invoke: (deps.lambdaInvoker ?? lambdaInvoker)({ region, profile: values.profile }),
    progress: (label) => progress.update(label),
  });
  const drifted = result.some((r) => r.differences.length > 0);
  out(ctx, { drift: drifted, brokers: result }, renderDrift(result));
  return drifted ? DRIFT_EXIT.DRIFT : DRIFT_EXIT.NONE;
}

function localCredentials(ctx: Ctx): BrokerCredentials | undefined {
  const file = ctx.values['secret-json-file'];
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new MqPlatformError('usage', `cannot read --secret-json-file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, {
        hint: 'check the path',
      });
    }
    return { ...parseSecretJson(text, file), source: file };
  }
  const { MQ_PLATFORM_USERNAME: username, MQ_PLATFORM_PASSWORD: password } = ctx.deps.env;
  if (username && password) return { username, password, source: 'MQ_PLATFORM_USERNAME/MQ_PLATFORM_PASSWORD' };
  return undefined;
}

async function check(ctx: Ctx, ref: string): Promise<number> {
  const v = ctx.values;
  const timeoutMs = v.timeout === undefined ? 15000 : Number(v.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new MqPlatformError('usage', `--timeout must be a positive number of milliseconds, got "${v.timeout}"`);
  let ca: Buffer | undefined;
  if (v['ca-file']) {
    try {
      ca = fs.readFileSync(v['ca-file']);
    } catch (e) {
      throw new MqPlatformError('usage', `cannot read --ca-file ${v['ca-file']}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, {
        hint: 'check the path',
      });
    }
  }

  let engine: Engine;
  let endpointList: string[];
  let label = ref;
  let broker: BrokerInfo | undefined;
  if (v.endpoint?.length) {
    const engines = new Set(v.endpoint.map((e) => engineForProtocol(parseEndpoint(e).protocol)));
    if (engines.has(undefined)) throw new MqPlatformError('usage', 'check needs amqps:// (RabbitMQ) or stomp+ssl:// (ActiveMQ) endpoints');
    if (engines.size > 1) throw new MqPlatformError('usage', 'all --endpoint values must use the same engine');
    engine = [...engines][0]!;
    endpointList = v.endpoint;
  } else {
    broker = await describe(ctx, ref);
    label = broker.name;
    engine = broker.engine as Engine;
    const byProto = endpointsByProtocol(broker);
    endpointList = engine === 'RABBITMQ' ? (byProto.amqps ?? []) : (byProto['stomp+ssl'] ?? []);
    if (endpointList.length === 0) {
      throw new MqPlatformError(
        'not-found',
        `broker ${broker.name} has no ${engine === 'RABBITMQ' ? 'amqps' : 'stomp+ssl'} endpoint (state ${broker.state})`,
        { hint: 'wait until the broker is RUNNING' },
      );
    }
  }

  let creds = localCredentials(ctx);
  // A token broker: the password is a token (STS for IAM; MQ_PLATFORM_TOKEN or client credentials for OAuth 2.0).
  const envToken = ctx.deps.env.MQ_PLATFORM_TOKEN;
  const tokenSource = creds
    ? undefined
    : broker?.token
      ? cliTokenSource(broker.token, ctx.deps.env, () =>
          (ctx.deps.sts ?? ((p) => new STSClient(p)))({ region: ctx.region, profile: ctx.values.profile }),
        )
      : envToken && v.endpoint?.length
        ? new TokenSource(async () => ({ token: envToken })) // a token broker reached through --endpoint
        : undefined;
  if (tokenSource) {
    const kind = broker?.token?.kind ?? 'token';
    creds = { username: kind, password: '', source: `${kind === 'token' ? 'MQ_PLATFORM_TOKEN' : `${kind} token`}` };
  }
  if (!creds) {
    broker ??= await describe(ctx, ref);
    ctx.progress.update('reading credentials');
    creds = await directory(ctx).credentials(broker, v.user);
  }

  const factory = ctx.deps.messagingClient ?? createMessagingClient;
  const client = factory(engine, {
    endpoints: endpointList,
    username: creds.username,
    password: creds.password,
    ca,
    connectTimeoutMs: Math.min(timeoutMs, 10000),
    backoff: { maxAttempts: 2, initialDelayMs: 250 },
    autoReconnect: false,
    ...(tokenSource ? { tokenSource } : {}),
  });
  try {
    ctx.progress.update(`connecting to ${label}`);
    await client.connect();
    ctx.progress.update('round trip');
    const r = await roundTrip(client, { timeoutMs });
    const instance = endpointList.length > 1 ? ` (instance ${r.instanceIndex + 1} of ${endpointList.length} answered)` : '';
    out(
      ctx,
      { ok: true, broker: label, ...r, endpoints: endpointList.length },
      `OK ${label}: round trip ${r.latencyMs} ms via ${r.endpoint}${instance}${r.server ? ` [${r.server}]` : ''}`,
    );
    return EXIT.OK;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** promote --env <name> --broker <name> --mode switchover|failover [--timeout <ms>] */
async function runPromote(values: Values, deps: CliDeps, rest: string[]): Promise<number> {
  if (rest.length) throw new MqPlatformError('usage', `promote takes no arguments, got "${rest[0]}"`, { hint: 'use --broker <name>' });
  if (!values.env || !values.broker) {
    throw new MqPlatformError('usage', 'promote needs --env <name> and --broker <name>', { hint: `run '${BIN} promote --help'` });
  }
  const mode = parseMode(values.mode);
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs <= 0))
    throw new MqPlatformError('usage', `--timeout must be a positive number of milliseconds, got "${values.timeout}"`);
  const pair = crdrPairFromConfig(values.env, values.broker, deps.cwd);
  const profile = values.profile;
  const result = await promote(pair, mode, {
    mqClient: (region) => new MqClient({ region, ...(profile ? { profile } : {}) }),
    ...deps.promote,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    log: (line) => deps.stderr.write(line + '\n'),
  });
  deps.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : renderPromoteResult(result) + '\n');
  return EXIT.OK;
}
