/**
 * `npm run review`: what a change does to each environment, offline. Synthesizes every config in
 * config/ (the working tree) and compares each stack with its committed snapshot at a git ref.
 */
import * as fs from 'fs';
import { environmentTemplates } from '../lib/app/synth';
import { CONFIG_DIR, configPathForStage, loadConfigFile } from '../lib/config/load-config';
import { readSnapshotsAtRef } from '../lib/review/baseline';
import { hasBlocked, renderReview, type EnvironmentReview, type ReviewFormat } from '../lib/review/render-review';
import { checkReplacements } from '../lib/review/replacement-guard';
import { diffEnvironment } from '../lib/review/template-diff';

const HELP = `Usage: npm run review -- [--base <git ref>] [--format text|md] [--stage <name>]... [--check]

Synthesizes config/<stage>.json (the working tree, offline) and compares every stack with the
snapshot committed at <git ref> (test/snapshots/<environment>/<stack>.json). Prints, per
environment, the resources added, removed, replaced and updated, which properties changed, and
stateful resources (brokers, keys, secrets, network) that would be replaced or removed.

  --base <ref>      git ref of the baseline snapshots (default: HEAD; in a pull request the merge base)
  --format <f>      text (default) or md (a pull-request comment)
  --stage <name>    only this config (repeatable; default: every config in config/)
  --check           exit 2 when a protected environment replaces or removes a stateful resource
                    that its allowReplacement does not allow (what synth itself refuses)
  -h, --help        this text`;

interface Args {
  base: string;
  format: ReviewFormat;
  stages: string[];
  check: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { base: 'HEAD', format: 'text', stages: [], check: false };
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

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const reviews: EnvironmentReview[] = [];
  for (const stage of args.stages.length ? args.stages : shippedStages()) {
    let config;
    try {
      config = loadConfigFile(configPathForStage(stage));
    } catch (e) {
      fail((e as Error).message);
    }
    let base;
    try {
      base = readSnapshotsAtRef(args.base, config.environment);
    } catch (e) {
      fail(`--base ${args.base}: cannot read the committed snapshots: ${((e as { stderr?: string }).stderr || (e as Error).message).trim()}`);
    }
    // The guard is off here: the review reports what it would refuse, against the given base.
    const head = environmentTemplates(config, { baseline: false });
    const diff = diffEnvironment(base, head);
    reviews.push({ environment: config.environment, protected: config.protected, base: args.base, diff, guard: checkReplacements(diff, config.allowReplacement) });
  }
  process.stdout.write(renderReview(reviews, args.format));
  if (args.check && hasBlocked(reviews)) {
    console.error('review: a protected environment replaces or removes a stateful resource that its config does not allow (see above)');
    process.exit(2);
  }
}

main();
