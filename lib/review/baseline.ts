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
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    out[file.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  return out;
}

/** The snapshots of an environment as committed at a git ref (`git show <ref>:<path>`); empty when absent there. */
export function readSnapshotsAtRef(ref: string, environment: string, repoRoot = REPO_ROOT): StackTemplates {
  const rel = path.relative(repoRoot, snapshotDir(environment)).split(path.sep).join('/');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
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
