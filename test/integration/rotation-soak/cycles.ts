/** Rotation cycles: start rotations through the emulated Secrets Manager, with faults, and record what happened. */
import { DescribeSecretCommand, InvalidRequestException, RotateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RotationOutcome } from '../emulator/secrets-manager';
import type { AwsEmulator } from '../emulator/server';

export interface Cycle {
  readonly name: string;
  /** Secret ARNs rotated at the same moment. */
  readonly secrets: readonly string[];
  /** Faults injected for this cycle. */
  readonly faults: readonly string[];
  readonly before?: () => void | Promise<void>;
  /** Runs alongside the rotations (e.g. a maintenance reboot once a step is reached). */
  readonly during?: () => Promise<void>;
  readonly after?: () => void | Promise<void>;
}

export interface CycleResult {
  readonly name: string;
  readonly faults: readonly string[];
  readonly ms: number;
  /** RebootBroker calls accepted, per broker id. */
  readonly apiReboots: Record<string, number>;
  readonly maintenanceReboots: Record<string, number>;
  readonly rotations: { secret: string; ok: boolean; attempts: number; error?: string; /** Failed: AWSCURRENT still logs in right after. */ clean?: boolean }[];
}

/** Runs one cycle: every secret's rotation ends (finished, or failed after the service's retries). */
export async function runCycle(emu: AwsEmulator, sm: SecretsManagerClient, functionArn: string, cycle: Cycle, timeoutMs = 240000): Promise<CycleResult> {
  const t0 = Date.now();
  await cycle.before?.();
  const maxAttempts = 1 + emu.secretsManager.options.retriesAfterFailure;
  const finals = new Map<string, RotationOutcome>();
  const tokens = new Map<string, string>();
  const done = new Promise<void>((resolve) => {
    const onRotation = (o: RotationOutcome) => {
      if (![...tokens.values()].includes(o.token)) return;
      if (o.ok || o.attempt >= maxAttempts) finals.set(o.token, o);
      if (finals.size === cycle.secrets.length) {
        emu.secretsManager.off('rotation', onRotation);
        resolve();
      }
    };
    emu.secretsManager.on('rotation', onRotation);
  });
  const during = cycle.during?.();
  await Promise.all(
    cycle.secrets.map(async (arn) => {
      try {
        const out = await sm.send(new RotateSecretCommand({ SecretId: arn, RotationLambdaARN: functionArn, RotationRules: { AutomaticallyAfterDays: 30 } }));
        tokens.set(arn, out.VersionId!);
      } catch (e) {
        // "A previous rotation isn't complete. That rotation will be reattempted": follow that one.
        if (!(e instanceof InvalidRequestException)) throw e;
        const stages = (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {};
        tokens.set(arn, Object.entries(stages).find(([, st]) => st.includes('AWSPENDING') && !st.includes('AWSCURRENT'))![0]);
      }
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`cycle ${cycle.name}: rotations did not end within ${timeoutMs} ms`)), timeoutMs)))]);
  clearTimeout(timer);
  await during;
  await cycle.after?.();
  await emu.mq.idle();
  const t1 = Date.now();
  const apiReboots: Record<string, number> = {};
  const maintenanceReboots: Record<string, number> = {};
  for (const r of emu.mq.reboots) {
    if (r.requestedAt < t0 || r.requestedAt > t1) continue;
    const bucket = r.cause === 'api' ? apiReboots : maintenanceReboots;
    bucket[r.brokerId] = (bucket[r.brokerId] ?? 0) + 1;
  }
  return {
    name: cycle.name,
    faults: cycle.faults,
    ms: t1 - t0,
    apiReboots,
    maintenanceReboots,
    rotations: cycle.secrets.map((arn) => {
      const o = finals.get(tokens.get(arn)!)!;
      return { secret: o.secret, ok: o.ok, attempts: o.attempt, ...(o.error ? { error: o.error } : {}) };
    }),
  };
}

/** Resolves once the emulator has answered `operation` `n` more times (e.g. the first UpdateUser of a cycle). */
export function afterCalls(emu: AwsEmulator, operation: string, n = 1, timeoutMs = 120000): Promise<void> {
  const ok = () => emu.calls.filter((c) => c.operation === operation && c.status >= 200 && c.status < 300).length;
  const base = ok();
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (ok() >= base + n) return resolve();
      if (Date.now() > deadline) return reject(new Error(`no ${operation} within ${timeoutMs} ms`));
      setTimeout(tick, 50);
    };
    tick();
  });
}
