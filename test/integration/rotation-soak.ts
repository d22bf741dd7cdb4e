/**
 * `npm run test:rotation`: the rotation soak test of issue 10. The real rotation code
 * (lib/rotation/factory.ts) rotates alternating-user secrets of real RabbitMQ and ActiveMQ brokers on
 * 127.0.0.1, through the emulated Amazon MQ API and Secrets Manager (test/integration/emulator),
 * reached by the real SDK clients through AWS_ENDPOINT_URL_MQ / AWS_ENDPOINT_URL_SECRETS_MANAGER.
 * Meanwhile 4 clients per engine log in every 100 ms with AWSCURRENT (read again each time) and a
 * producer/consumer pair sends persistent messages. Faults per cycle (engines.ts). Prints figures
 * per engine and exits non-zero unless: 0 logins refused with AWSCURRENT, at most 1 RebootBroker per
 * ActiveMQ broker per cycle, 0 persistent messages lost, every rotation finished or failed cleanly
 * (AWSCURRENT still logs in). No timing assertions.
 * Env: SOAK_ENGINES=rabbitmq,activemq,activemq-single (default all three); SOAK_KEEP=1 keeps the temp directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MqClient } from '@aws-sdk/client-mq';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createMessagingClient, MqPlatformError, secretCredentials } from '../../lib/client';
import { mqClientConfig, secretsManagerClientConfig } from '../../lib/rotation/aws-clients';
import { createHandler, type MqPlatformFunctionEvent } from '../../lib/rotation/factory';
import { activeMqProbe, rabbitMqProbe } from '../../lib/rotation/probe';
import { AwsEmulator } from './emulator/server';
import { makeCa, missingPackages, tempDir, type TestCa } from './harness/brokers';
import { runCycle, type CycleResult } from './rotation-soak/cycles';
import { FUNCTION_KEY_ID, activeMqSetup, activeMqSingleSetup, rabbitMqSetup, type EngineSetup } from './rotation-soak/engines';
import { newLoginStats, startFlow, startLoginLoop, type FlowStats, type LoginStats } from './rotation-soak/load';

/** A failed rotation is reattempted by RotateSecret, as the next scheduled rotation would (hours later in production). */
const REATTEMPTS = { times: 3, delayMs: 4000 };

/** Client timeouts of the function's SDK clients in the soak: short, so an API hang costs seconds. */
const SOAK_SDK_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true };
/** The function signs with its own key id, so API faults can target its calls and not the clients'. */
const FUNCTION_CREDENTIALS = { accessKeyId: FUNCTION_KEY_ID, secretAccessKey: 'emulator-only-not-a-secret' };

interface EngineReport {
  readonly setup: EngineSetup;
  readonly logins: LoginStats;
  readonly flow: FlowStats;
  readonly cycles: CycleResult[];
  /** After the soak: AWSCURRENT of every application secret logs in. */
  readonly finalLogins: { secret: string; ok: boolean; detail?: string }[];
  readonly prepared?: string;
  /** Evidence that the faults happened. */
  readonly fired: string[];
}

type EngineName = 'rabbitmq' | 'activemq' | 'activemq-single';
const SETUPS = { rabbitmq: rabbitMqSetup, activemq: activeMqSetup, 'activemq-single': activeMqSingleSetup } as const;

async function runEngine(
  name: EngineName,
  dir: string,
  ca: TestCa,
  emu: AwsEmulator,
  sm: SecretsManagerClient,
  logFile: string,
): Promise<EngineReport> {
  const caBuf = fs.readFileSync(ca.caFile);
  const setup = await SETUPS[name](path.join(dir, name), ca, emu, sm);
  try {
    const log = (msg: string, fields: Record<string, unknown> = {}) =>
      fs.appendFileSync(logFile, `${JSON.stringify({ at: new Date().toISOString(), msg, ...fields })}\n`);
    // A function instance as Lambda makes one: its own SDK clients and caches.
    const instance = () =>
      createHandler({
        brokers: [setup.target],
        secretsManager: new SecretsManagerClient({
          ...secretsManagerClientConfig(),
          requestHandler: SOAK_SDK_TIMEOUTS,
          credentials: FUNCTION_CREDENTIALS,
        }),
        mq: new MqClient({ ...mqClientConfig(process.env), requestHandler: SOAK_SDK_TIMEOUTS, credentials: FUNCTION_CREDENTIALS }),
        tls: { ca: caBuf },
        // The function's own probes, with a short timeout so a black-holed connection costs seconds.
        probes: { ACTIVEMQ: activeMqProbe({ ca: caBuf, timeoutMs: 1500 }), RABBITMQ: rabbitMqProbe({ ca: caBuf, timeoutMs: 1500 }) },
        timing: { pollMs: 500, gatherMs: 3000, settleMs: 500, rebootBudgetMs: 120000, leaseStaleMs: 60000, rebootStartGraceMs: 10000 },
        log,
      });
    // Rotations that run at the same moment run in different instances (no shared memory), so each
    // rotation attempt (RotationToken) gets a fresh one; its steps reuse it, as a warm instance would.
    const instances = new Map<string, ReturnType<typeof createHandler>>();
    const functionArn = emu.secretsManager.functionArn(`soak-${name}`);
    emu.secretsManager.registerFunction(functionArn, (event) => {
      let h = instances.get(event.RotationToken);
      if (!h) instances.set(event.RotationToken, (h = instance()));
      return h(event as unknown as MqPlatformFunctionEvent);
    });
    const handler = instance();
    const prepared = await setup.prepare?.((event) => handler(event as MqPlatformFunctionEvent), emu);

    const target = { engine: setup.engine, endpoints: setup.clientEndpoints, ca: caBuf, sm };
    const logins = newLoginStats();
    // 4 clients, two per application secret, each logging in every 100 ms with AWSCURRENT read again.
    const stops = [0, 1, 2, 3].map((i) => startLoginLoop(target, setup.appSecrets[i % setup.appSecrets.length], logins));
    const stopFlow = await startFlow(target, setup.appSecrets[0], `soak.${name}.${Date.now()}`);
    const cycles: CycleResult[] = [];
    const steps = new Map<string, number>();
    const onStep = (e: { step: string }) => steps.set(e.step, (steps.get(e.step) ?? 0) + 1);
    emu.secretsManager.on('step', onStep);
    const callsBefore = emu.calls.length;
    try {
      for (const cycle of setup.cycles(functionArn)) {
        const r = await runCycle(emu, sm, functionArn, cycle, REATTEMPTS);
        for (const x of r.rotations) if (!x.ok) x.clean = (await loginOnce(setup, caBuf, sm, x.secret)).ok;
        cycles.push(r);
        process.stdout.write(
          `  ${name} cycle ${r.name}: ${r.rotations.map((x) => `${short(x.secret)} ${x.ok ? 'finished' : 'FAILED'}${x.attempts > 1 ? ` (${x.ok ? 'attempt' : 'attempts'} ${x.attempts})` : ''}`).join(', ')}; ` +
            `RebootBroker ${sum(r.apiReboots)}, maintenance ${sum(r.maintenanceReboots)}; ${(r.ms / 1000).toFixed(1)} s\n`,
        );
      }
    } finally {
      emu.secretsManager.off('step', onStep);
      await Promise.all(stops.map((s) => s()));
    }
    const mine = emu.calls.slice(callsBefore);
    const fired = [
      `step invocations ${[...steps].map(([k, v]) => `${k} ${v}`).join(', ')} (each step invoked twice per attempt)`,
      `RebootBroker refused ${mine.filter((c) => c.operation === 'mq.RebootBroker' && c.status === 400).length}`,
      `calls held past the function's 2 s SDK timeout: ${
        mine
          .filter((c) => c.hung)
          .map((c) => c.operation)
          .join(', ') || 'none'
      }`,
      `function connections refused by the fault proxy ${setup.blocked()}`,
      `maintenance reboots ${cycles.reduce((n, c) => n + sum(c.maintenanceReboots), 0)}`,
    ];
    const flow = await stopFlow();
    const finalLogins = [];
    for (const secretId of setup.appSecrets)
      finalLogins.push({ secret: short(secretId), ...(await loginOnce(setup, caBuf, sm, secretId)) });
    return { setup, logins, flow, cycles, finalLogins, prepared, fired };
  } finally {
    await setup.stop();
  }
}

async function loginOnce(
  setup: EngineSetup,
  ca: Buffer,
  sm: SecretsManagerClient,
  secretId: string,
): Promise<{ ok: boolean; detail?: string }> {
  const creds = await secretCredentials(sm, secretId)();
  const c = createMessagingClient(setup.engine, {
    endpoints: setup.clientEndpoints,
    ...creds,
    ca,
    backoff: { maxAttempts: 5, initialDelayMs: 500 },
    autoReconnect: false,
  });
  try {
    await c.connect();
    return { ok: true };
  } catch (e) {
    return { ok: false, detail: e instanceof MqPlatformError ? `${e.kind}: ${e.message}` : String(e) };
  } finally {
    await c.close().catch(() => undefined);
  }
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const short = (arn: string) => arn.replace(/^arn:aws:secretsmanager:[^:]+:\d+:secret:/, '').replace(/-[0-9a-f]{6}$/, '');

function report(r: EngineReport): string[] {
  const lines: string[] = [];
  const rotations = r.cycles.flatMap((c) => c.rotations);
  const finished = rotations.filter((x) => x.ok).length;
  const failed = rotations.filter((x) => !x.ok);
  lines.push(`== ${r.setup.label}`);
  if (r.prepared) lines.push(`setup: ${r.prepared}`);
  lines.push(`faults that fired: ${r.fired.join('; ')}`);
  lines.push(
    `logins with AWSCURRENT (4 clients, every 100 ms, secret read each time): tried ${r.logins.tried}, accepted ${r.logins.ok}, REFUSED ${r.logins.refused}, could not connect ${r.logins.couldNotConnect}` +
      (r.logins.connectErrors.size
        ? ` (${[...r.logins.connectErrors].map(([k, v]) => `${k} ${v}`).join(', ')}; broker restarting or failing over)`
        : ''),
  );
  for (const x of r.logins.refusals.slice(0, 5)) lines.push(`  refused: ${new Date(x.at).toISOString()} user ${x.username}: ${x.message}`);
  lines.push('reboots per broker per cycle (RebootBroker accepted / maintenance):');
  for (const c of r.cycles) lines.push(`  ${c.name}: ${sum(c.apiReboots)} / ${sum(c.maintenanceReboots)}   faults: ${c.faults.join('; ')}`);
  lines.push(
    `persistent messages: sent (confirmed) ${r.flow.sent}, received ${r.flow.received}, LOST ${r.flow.lost}, duplicates ${r.flow.duplicates}; ` +
      `publish retries ${r.flow.publishRetries}, reconnects ${r.flow.reconnects}, secret re-reads after a refusal ${r.flow.credentialRereads}`,
  );
  if (r.flow.stuck.length) lines.push(`  client calls that hung: ${r.flow.stuck.join(', ')}`);
  const dirty = failed.filter((f) => !f.clean);
  lines.push(
    `rotations: ${rotations.length} run, ${finished} finished, ${failed.length} failed (${dirty.length ? `${dirty.length} NOT CLEAN` : 'all cleanly: AWSCURRENT still logs in'})`,
  );
  for (const f of failed)
    lines.push(`  failed ${f.clean ? 'cleanly' : 'NOT CLEANLY'}: ${short(f.secret)} after ${f.attempts} attempts: ${f.error}`);
  for (const f of r.finalLogins)
    lines.push(`  after the soak, AWSCURRENT of ${f.secret}: ${f.ok ? 'logs in' : `DOES NOT LOG IN (${f.detail})`}`);
  return lines;
}

function verdict(r: EngineReport): string[] {
  const problems: string[] = [];
  if (r.logins.refused > 0) problems.push(`${r.logins.refused} logins refused with AWSCURRENT`);
  if (r.setup.engine === 'ACTIVEMQ') {
    for (const c of r.cycles)
      for (const [b, n] of Object.entries(c.apiReboots)) if (n > 1) problems.push(`cycle ${c.name}: ${n} reboots of ${b}`);
  }
  if (r.flow.lost > 0) problems.push(`${r.flow.lost} persistent messages lost`);
  if (r.flow.sent === 0) problems.push('no persistent message was sent');
  if (r.flow.stuck.length) problems.push(`client calls hung: ${r.flow.stuck.join(', ')}`);
  const rotations = r.cycles.flatMap((c) => c.rotations);
  if (rotations.length < (r.setup.minRotations ?? 5)) problems.push(`only ${rotations.length} rotations ran`);
  if (!r.finalLogins.every((f) => f.ok)) problems.push('AWSCURRENT does not log in after the soak');
  for (const f of rotations) if (!f.ok && !f.clean) problems.push(`rotation of ${short(f.secret)} failed and AWSCURRENT no longer logs in`);
  return problems;
}

async function main(): Promise<number> {
  const missing = missingPackages();
  if (missing) {
    process.stderr.write(`${missing}\n`);
    return 2;
  }
  // A library error nobody listens to is a finding, not a reason to leave brokers behind.
  const uncaught: string[] = [];
  process.on('uncaughtException', (e) => uncaught.push(e.stack ?? String(e)));
  process.on('unhandledRejection', (e) => uncaught.push((e as Error)?.stack ?? String(e)));
  const engines = (process.env.SOAK_ENGINES ?? 'rabbitmq,activemq,activemq-single').split(',').map((s) => s.trim()) as EngineName[];
  const unknown = engines.filter((e) => !(e in SETUPS));
  if (unknown.length) throw new Error(`SOAK_ENGINES: unknown ${unknown.join(', ')}; use ${Object.keys(SETUPS).join(', ')}`);
  const dir = tempDir('soak');
  const logFile = path.join(dir, 'rotation-function.log');
  const emu = new AwsEmulator({ secretsManager: { invocationsPerStep: 2 } });
  await emu.start();
  Object.assign(process.env, emu.env());
  const sm = new SecretsManagerClient({ requestHandler: { requestTimeout: 10000, throwOnRequestTimeout: true } });
  const started = Date.now();
  // A hang anywhere must fail CI, not stall it: the harness's exit handler kills the brokers.
  setTimeout(() => {
    process.stderr.write('rotation soak: still running after 15 minutes; giving up\n');
    process.exit(1);
  }, 15 * 60000).unref();
  process.stdout.write(
    `rotation soak: emulator ${emu.url}; every step invoked twice; a failed rotation is reattempted with RotateSecret up to ${REATTEMPTS.times} times, ${REATTEMPTS.delayMs / 1000} s apart; log ${logFile}\n`,
  );
  const reports: EngineReport[] = [];
  let failure: unknown;
  try {
    const ca = await makeCa(path.join(dir, 'ca'));
    for (const e of engines) reports.push(await runEngine(e, dir, ca, emu, sm, logFile));
  } catch (e) {
    failure = e;
  } finally {
    await emu.stop();
  }
  const out: string[] = [''];
  const problems: string[] = [];
  for (const r of reports) {
    out.push(...report(r), '');
    problems.push(...verdict(r).map((p) => `${r.setup.engine}: ${p}`));
  }
  const calls = new Map<string, number>();
  for (const c of emu.calls) calls.set(c.operation, (calls.get(c.operation) ?? 0) + 1);
  out.push(
    `API calls: ${[...calls]
      .sort()
      .map(([k, v]) => `${k.replace(/^(mq|secretsmanager)\./, '$1:')} ${v}`)
      .join(', ')}`,
  );
  out.push(`soak took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const u of uncaught) problems.push(`uncaught error in the soak process: ${u}`);
  if (failure) problems.push(`the soak stopped: ${(failure as Error).stack ?? String(failure)}`);
  out.push(
    problems.length
      ? `FAIL\n- ${problems.join('\n- ')}`
      : 'PASS: 0 refused with AWSCURRENT, at most 1 reboot per ActiveMQ broker per cycle, 0 lost, every rotation finished or failed cleanly',
  );
  process.stdout.write(`${out.join('\n')}\n`);
  if (problems.length && fs.existsSync(logFile)) process.stdout.write(`rotation function log: ${logFile}\n`);
  if (!problems.length && !process.env.SOAK_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
