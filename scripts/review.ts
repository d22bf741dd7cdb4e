/**
 * `npm run review`: what a change does to each environment, offline. Synthesizes every config in
 * config/ (the working tree) and compares each stack with its committed snapshot at a git ref.
 */
import * as fs from 'fs';
import { environmentTemplates } from '../lib/app/synth';
import { CONFIG_DIR, configPathForStage, loadConfigFile } from '../lib/config/load-config';
import { committedBaseline, defaultBaseRef, readSnapshotsAtRef, REPO_ROOT, snapshotDir } from '../lib/review/baseline';
import {
  hasBlocked,
  removedEnvironmentReview,
  renderReview,
  reviewEnvironment,
  type EnvironmentReview,
  type ReviewFormat,
} from '../lib/review/render-review';
import { execFileSync } from 'child_process';
import { deployedBaseline } from '../lib/review/deployed-baseline';

const HELP = `Usage: npm run review -- [--base <git ref>] [--deployed <dir>] [--format text|md] [--stage <name>]... [--check]

Synthesizes config/<stage>.json (the working tree, offline) and compares every stack with the
snapshot committed at <git ref> (test/snapshots/<environment>/<stack>.json). Prints, per
environment, first any change that lowers the protection of an environment whose baseline is
protected (protected → false, a rename, removed snapshots), then stateful resources that would be
replaced or removed and changes that lock clients out, then the other resources added, removed,
replaced and updated.

  --base <ref>      git ref of the baseline snapshots (default: the merge base of HEAD with origin/main
                    or main, else HEAD)
  --format <f>      text (default) or md (a pull-request comment)
  --stage <name>    only this config (repeatable; default: every config in config/)
  --deployed <dir>  compare with the templates deployed instead of the snapshots: <dir> holds one
                    <stack name>.json per deployed stack (aws cloudformation get-template
                    --query TemplateBody), as the pipeline's review gate fetches them
  --check           exit 2 on what synth itself refuses: a protection change without its unlock, a
                    replacement, removal or lock-out in an environment protected in the baseline or
                    the config that allowReplacement does not allow, a stale allowance or unlock, or
                    a protected environment of the baseline that no config synthesizes any more
  -h, --help        this text`;

interface Args {
  base: string;
  format: ReviewFormat;
  stages: string[];
  check: boolean;
  deployed?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { base: '', format: 'text', stages: [], check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) fail(`${a} needs a value\n\n${HELP}`);
      return v;
    };
    if (a === '-h' || a === '--help') {
      console.log(HELP);
      process.exit(0);
    } else if (a === '--base') args.base = value();
    else if (a === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'md') fail(`--format: "${f}" is not a format; allowed: text, md`);
      args.format = f;
    } else if (a === '--stage') args.stages.push(value());
    else if (a === '--check') args.check = true;
    else if (a === '--deployed') args.deployed = value();
    else fail(`unknown argument "${a}"\n\n${HELP}`);
  }
  return args;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function shippedStages(): string[] {
  return fs
    .readdirSync(CONFIG_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** Environments with snapshots committed at a ref. */
function committedEnvironments(ref: string): string[] {
  try {
    const rel = snapshotDir('')
      .replace(REPO_ROOT + '/', '')
      .replace(/\/$/, '');
    return execFileSync('git', ['ls-tree', '--name-only', `${ref}:${rel}`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const base = args.base || defaultBaseRef() || 'HEAD';
  const reviews: EnvironmentReview[] = [];
  const seen = new Set<string>();
  for (const stage of args.stages.length ? args.stages : shippedStages()) {
    let config;
    try {
      config = loadConfigFile(configPathForStage(stage));
    } catch (e) {
      fail((e as Error).message);
    }
    let baseline;
    try {
      baseline = args.deployed
        ? deployedBaseline(args.deployed, config.environment)
        : committedBaseline(config.environment, { ref: base, configFile: configPathForStage(stage) });
    } catch (e) {
      fail(`--base ${base}: cannot read the committed snapshots: ${((e as { stderr?: string }).stderr || (e as Error).message).trim()}`);
    }
    seen.add(baseline.environment);
    // The guard is off here: the review reports what it would refuse, against the given base.
    const review = reviewEnvironment(config, baseline, environmentTemplates(config, { baseline: false }));
    reviews.push(args.base || args.deployed ? review : { ...review, base: `merge base ${base.slice(0, 12)}` });
  }
  // A protected environment of the baseline that no config synthesizes: its config was deleted.
  if (args.stages.length === 0 && !args.deployed) {
    for (const environment of committedEnvironments(base).filter((e) => !seen.has(e))) {
      const review = removedEnvironmentReview(environment, readSnapshotsAtRef(base, environment), base);
      if (review) reviews.push(review);
    }
  }
  process.stdout.write(renderReview(reviews, args.format));
  if (args.check && hasBlocked(reviews)) {
    console.error(
      'review: a change lowers the protection of an environment, or replaces, removes or locks out a resource of a protected one, without its unlock or allowance, or an allowance is stale (see above)',
    );
    process.exit(2);
  }
}

main();
