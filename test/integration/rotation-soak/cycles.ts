/** Rotation cycles: start rotations through the emulated Secrets Manager, with faults, and record what happened. */
import {
  DescribeSecretCommand,
  InvalidRequestException,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
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
  readonly rotations: {
    secret: string;
    ok: boolean;
    attempts: number;
    error?: string;
    /** Failed: AWSCURRENT still logs in right after. */ clean?: boolean;
  }[];
}

/** How a failed rotation is tried again: RotateSecret reattempts the incomplete rotation (API_RotateSecret). */
export interface Reattempts {
  /** Stand-in for the next scheduled rotation, which in production comes hours later. */
  readonly times: number;
  readonly delayMs: number;
}

/** Runs one cycle: every secret's rotation ends, finished or failed after the reattempts. */
export async function runCycle(
  emu: AwsEmulator,
  sm: SecretsManagerClient,
  functionArn: string,
  cycle: Cycle,
  reattempts: Reattempts,
  timeoutMs = 240000,
): Promise<CycleResult> {
  const t0 = Date.now();
  await cycle.before?.();
  const during = cycle.during?.();
  const rotateOne = async (arn: string) => {
    const name = (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).Name!;
    let last: RotationOutcome | undefined;
    for (let attempt = 1; attempt <= 1 + reattempts.times; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, reattempts.delayMs));
      // Listen first: a fast rotation may end before RotateSecret's answer is read.
      const outcome = new Promise<RotationOutcome>((resolve) => {
        const on = (o: RotationOutcome) => {
          if (o.secret !== name) return;
          emu.secretsManager.off('rotation', on);
          resolve(o);
        };
        emu.secretsManager.on('rotation', on);
      });
      try {
        await sm.send(
          new RotateSecretCommand({ SecretId: arn, RotationLambdaARN: functionArn, RotationRules: { AutomaticallyAfterDays: 30 } }),
        );
      } catch (e) {
        // "A previous rotation isn't complete. That rotation will be reattempted."
        if (!(e instanceof InvalidRequestException)) throw e;
      }
      last = await outcome;
      if (last.ok) return { secret: name, ok: true, attempts: attempt };
    }
    return { secret: name, ok: false, attempts: 1 + reattempts.times, error: last?.error };
  };
  let timer: NodeJS.Timeout | undefined;
  let rotations: CycleResult['rotations'];
  try {
    rotations = await Promise.race([
      Promise.all(cycle.secrets.map(rotateOne)),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`cycle ${cycle.name}: rotations did not end within ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
  // A fault that waits for something that never came must not hold the soak.
  await Promise.race([during, new Promise((r) => setTimeout(r, 30000).unref())]);
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
    rotations,
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
