import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { CfnTemplate, StackTemplates } from './template-diff';

/**
 * The baseline of the review and of the replacement guard: the committed per-stack snapshots,
 * test/snapshots/<environment>/<stack>.json. They are what the main branch deploys, so comparing
 * a fresh synth with them tells what a change will do, offline, from the repository alone.
 */
export const REPO_ROOT = path.join(__dirname, '..', '..');
export const SNAPSHOT_ROOT = path.join(REPO_ROOT, 'test', 'snapshots');

export function snapshotDir(environment: string, root = SNAPSHOT_ROOT): string {
  return path.join(root, environment);
}

/** Every `<stack>.json` of a directory; empty when the directory does not exist (a new environment). */
export function readSnapshotDir(dir: string): StackTemplates {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, CfnTemplate> = {};
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    out[file.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  return out;
}

/** The snapshots of an environment as committed at a git ref (`git show <ref>:<path>`); empty when absent there. */
export function readSnapshotsAtRef(
  ref: string,
  environment: string,
  repoRoot = REPO_ROOT,
  snapshotRoot = path.join(repoRoot, 'test', 'snapshots'),
): StackTemplates {
  const rel = path.relative(repoRoot, snapshotDir(environment, snapshotRoot)).split(path.sep).join('/');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`); // throws with git's message on a bad ref
  let listing: string;
  try {
    listing = git('ls-tree', '--name-only', `${ref}:${rel}`);
  } catch {
    return {}; // no snapshots of this environment at that ref: a new environment
  }
  const files = listing.split('\n').filter((f) => f.endsWith('.json'));
  const out: Record<string, CfnTemplate> = {};
  for (const file of files.sort()) out[file.replace(/\.json$/, '')] = JSON.parse(git('show', `${ref}:${rel}/${file}`));
  return out;
}

/** The baseline the guard and the review compare with. */
export interface Baseline {
  /** Where it was read: a git ref (`merge-base HEAD main` resolved to a commit), or `working tree`. */
  readonly ref: string;
  /** The environment these snapshots are of: the config's, or its name at `ref` when the config renamed it. */
  readonly environment: string;
  readonly templates: StackTemplates;
  /** false when test/snapshots/<environment>/ is gone from the working tree although `ref` has it. */
  readonly snapshotsInWorkingTree: boolean;
}

export function isBaseline(v: unknown): v is Baseline {
  return typeof v === 'object' && v !== null && typeof (v as Baseline).ref === 'string' && typeof (v as Baseline).templates === 'object';
}

function git(repoRoot: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Branches the merge base is taken with, first found wins. */
export const MAIN_REFS = ['origin/main', 'main'] as const;

/**
 * The commit the guard compares with: the merge base of HEAD with the main branch (what is
 * deployed, and what a pull request's review compares with), else HEAD; undefined outside git.
 * Committed, not the working tree: regenerating snapshots with the flag off moves nothing.
 */
export function defaultBaseRef(repoRoot = REPO_ROOT): string | undefined {
  // Once per process and repository: every synth of a test run asks, HEAD does not move meanwhile.
  if (!baseRefs.has(repoRoot)) baseRefs.set(repoRoot, findBaseRef(repoRoot));
  return baseRefs.get(repoRoot);
}

const baseRefs = new Map<string, string | undefined>();

function findBaseRef(repoRoot: string): string | undefined {
  try {
    git(repoRoot, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}');
  } catch {
    return undefined;
  }
  for (const main of MAIN_REFS) {
    try {
      git(repoRoot, 'rev-parse', '--verify', '--quiet', `${main}^{commit}`);
      return git(repoRoot, 'merge-base', 'HEAD', main);
    } catch {
      // not this one
    }
  }
  return git(repoRoot, 'rev-parse', 'HEAD');
}

/** The `environment` of a config file as committed at `ref`; undefined when absent or unreadable. */
export function committedEnvironment(ref: string, configFile: string, repoRoot = REPO_ROOT): string | undefined {
  const rel = path.relative(repoRoot, path.resolve(configFile)).split(path.sep).join('/');
  if (rel.startsWith('..')) return undefined;
  try {
    const env = JSON.parse(git(repoRoot, 'show', `${ref}:${rel}`)).environment;
    return typeof env === 'string' ? env : undefined;
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Baseline>();

/**
 * The committed baseline of an environment at `ref` (default: {@link defaultBaseRef}). When the
 * config file (given) had another environment name at `ref` and that name has snapshots there,
 * those are the baseline: a rename is seen, not taken for a new environment. Outside git: the
 * working tree's snapshots.
 */
export function committedBaseline(
  environment: string,
  options: { ref?: string; configFile?: string; repoRoot?: string; snapshotRoot?: string } = {},
): Baseline {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const snapshotRoot = options.snapshotRoot ?? path.join(repoRoot, 'test', 'snapshots');
  const ref = options.ref ?? defaultBaseRef(repoRoot);
  if (ref === undefined) {
    return {
      ref: 'working tree',
      environment,
      templates: readSnapshotDir(snapshotDir(environment, snapshotRoot)),
      snapshotsInWorkingTree: true,
    };
  }
  const key = JSON.stringify([ref, environment, options.configFile, repoRoot, snapshotRoot]);
  const hit = cache.get(key);
  if (hit) return hit;
  let env = environment;
  let templates = readSnapshotsAtRef(ref, environment, repoRoot, snapshotRoot);
  if (Object.keys(templates).length === 0 && options.configFile) {
    const was = committedEnvironment(ref, options.configFile, repoRoot);
    if (was && was !== environment) {
      const old = readSnapshotsAtRef(ref, was, repoRoot, snapshotRoot);
      if (Object.keys(old).length > 0) [env, templates] = [was, old];
    }
  }
  const present = Object.keys(templates).length === 0 || fs.existsSync(snapshotDir(env, snapshotRoot));
  const out: Baseline = { ref, environment: env, templates, snapshotsInWorkingTree: present };
  cache.set(key, out);
  return out;
}
