import type { StackTemplates } from './template-diff';

/**
 * The guard of the guard: a change that would disarm a protected environment. The protection is
 * read from the BASELINE (what is committed at the merge base, i.e. deployed), never from the new
 * config, so a config that lowers it cannot switch its own guard off.
 */
export type ProtectionChangeKind = 'protection' | 'environment-name' | 'snapshots';

export const PROTECTION_CHANGE_KINDS: readonly ProtectionChangeKind[] = ['protection', 'environment-name', 'snapshots'];

/** One entry of the config's `unlock`. */
export interface ProtectionUnlock {
  readonly change: ProtectionChangeKind;
  readonly reason: string;
}

/** What the guard knows about the baseline of one environment. */
export interface BaselineFacts {
  /** The environment the baseline snapshots are of (another name when the config renamed it). */
  readonly environment: string;
  readonly protected: boolean;
  /** false: test/snapshots/<environment>/ is gone from the working tree. */
  readonly snapshotsInWorkingTree: boolean;
}

export interface ProtectionChange {
  readonly kind: ProtectionChangeKind;
  /** The config field that makes it, e.g. `protected`. */
  readonly field: string;
  readonly text: string;
  readonly unlockedBy?: { readonly index: number; readonly unlock: ProtectionUnlock };
}

export interface ProtectionResult {
  /** Protected per baseline or config, and not unlocked: the replacement guard applies. */
  readonly protected: boolean;
  readonly baselineProtected: boolean;
  readonly changes: readonly ProtectionChange[];
  readonly blocked: readonly ProtectionChange[];
  readonly unused: ReadonlyArray<{ readonly index: number; readonly unlock: ProtectionUnlock }>;
}

/**
 * A baseline is protected when its stateful resources are retained: `protected: true` is what
 * sets DeletionPolicy Retain on brokers and secrets (lib/config/resolve.ts removalPolicy), so the
 * committed snapshots carry the protection without a marker of their own.
 */
export function isProtectedBaseline(templates: StackTemplates): boolean {
  return Object.values(templates).some((t) =>
    Object.values(t.Resources ?? {}).some(
      (r) => (r.Type === 'AWS::AmazonMQ::Broker' || r.Type === 'AWS::SecretsManager::Secret') && r.DeletionPolicy === 'Retain',
    ),
  );
}

export function checkProtection(
  config: { readonly environment: string; readonly protected: boolean; readonly unlock: readonly ProtectionUnlock[] },
  baseline: BaselineFacts | undefined,
): ProtectionResult {
  const found: Array<Omit<ProtectionChange, 'unlockedBy'>> = [];
  const was = baseline?.protected ? baseline.environment : undefined;
  if (was !== undefined) {
    if (!config.protected) {
      found.push({
        kind: 'protection',
        field: 'protected',
        text: `lowers the protection of ${was}: "protected" true → false turns off its replacement guard and termination protection, and flips its brokers, keys, secrets and log groups from Retain to Delete`,
      });
    }
    if (was !== config.environment) {
      found.push({
        kind: 'environment-name',
        field: 'environment',
        text: `renames protected environment ${was} to ${config.environment}: new stacks, new brokers, and the guard loses its baseline (the ${was} stacks stay deployed, unmanaged)`,
      });
    }
    if (!baseline!.snapshotsInWorkingTree) {
      found.push({
        kind: 'snapshots',
        field: `test/snapshots/${was}/`,
        text: `removes the committed snapshots of protected environment ${was}: the replacement guard would have nothing to compare with`,
      });
    }
  }
  const used = new Set<number>();
  const changes = found.map((c): ProtectionChange => {
    const index = config.unlock.findIndex((u) => u.change === c.kind);
    if (index < 0) return c;
    used.add(index);
    return { ...c, unlockedBy: { index, unlock: config.unlock[index] } };
  });
  const blocked = changes.filter((c) => !c.unlockedBy);
  const lowered = changes.some((c) => c.unlockedBy && c.kind !== 'snapshots');
  return {
    protected: config.protected || (was !== undefined && !lowered),
    baselineProtected: was !== undefined,
    changes,
    blocked,
    unused: config.unlock.map((unlock, index) => ({ index, unlock })).filter((u) => !used.has(u.index)),
  };
}

/** The guard's error text for a blocked protection change. */
export function formatProtectionBlocked(c: ProtectionChange): string {
  return `${c.field}: ${c.text}. The committed baseline is protected; to allow exactly this change, add to the config: "unlock": [{ "change": "${c.kind}", "reason": "<why this environment may lose its protection>" }]`;
}

export function formatUnusedUnlock(u: { readonly index: number; readonly unlock: ProtectionUnlock }): string {
  return `unlock[${u.index}] (${u.unlock.change}) unlocks nothing: the baseline shows no such change; remove it`;
}
