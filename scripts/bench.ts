/**
 * `npm run bench`: wall time, CPU time and peak memory of `cdk synth` for the default environment,
 * a generated 20-broker environment and the same with 200 named queues per broker (about 8,200
 * alarms), each against an empty-stack CDK app run the same way, in the same run. Prints figures
 * and the issue's goals; asserts nothing.
 *
 * The machine may be shared: cases run interleaved (one run of every case per round, BENCH_RUNS
 * rounds, median kept), CPU seconds are printed beside wall seconds (CPU moves less with other
 * load), and so is the load average. `npm run bench -- --compare <dir>` runs the same cases in
 * another checkout (e.g. the merge base) in the same rounds, for before/after figures.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateConfig } from './bench/generate-config';

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The issue's goals (issue 14, part 6), as ratios to the empty-stack app. */
const GOALS = { devTime: 1.3, scaleTime: 2.5, memory: 2.0 };

interface Sample {
  seconds: number;
  cpuSeconds: number;
  peakMiB: number;
}

interface Case {
  readonly label: string;
  readonly cwd: string;
  readonly args: string[];
  readonly samples: Sample[];
}

/** RSS of a process and all its descendants, from /proc (Linux). */
function treeRssKiB(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop() as number;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
    } catch {
      // ended
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

const seconds = (s: string) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/**
 * One `cdk synth`. bash's `times` gives the user and system CPU of every process the synth waited
 * for (npx, the CLI, the app), printed on fd 3.
 */
function runOnce(cwd: string, args: string[]): Promise<Sample> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-bench-'));
  const command = ['npx', 'cdk', 'synth', '-q', '-o', outdir, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', `${command}; code=$?; times >&3; exit $code`], {
      cwd,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let times = '';
    child.stderr?.on('data', (d) => (stderr += d));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d) => (times += d));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssKiB(child.pid as number))), 25);
    child.on('close', (code) => {
      clearInterval(timer);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      fs.rmSync(outdir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`cdk synth ${args.join(' ')} in ${cwd} failed:\n${stderr}`));
      // Second line of `times`: the children's user and system time.
      const [user, system] = (times.trim().split('\n')[1] ?? '').trim().split(/\s+/).map(seconds);
      resolve({ seconds: wall, cpuSeconds: user + system, peakMiB: peak / 1024 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function summary(c: Case): Sample {
  return {
    seconds: median(c.samples.map((s) => s.seconds)),
    cpuSeconds: median(c.samples.map((s) => s.cpuSeconds)),
    peakMiB: median(c.samples.map((s) => s.peakMiB)),
  };
}

function parseArgs(argv: string[]): { compare?: string } {
  const i = argv.indexOf('--compare');
  if (i === -1) return {};
  const dir = argv[i + 1];
  if (!dir || !fs.existsSync(path.join(dir, 'cdk.json')))
    throw new Error(`--compare needs a checkout of mq-platform (a folder with cdk.json); got ${dir}`);
  return { compare: path.resolve(dir) };
}

async function main() {
  const { compare } = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-bench-config-'));
  const twenty = path.join(tmp, 'bench-20.json');
  fs.writeFileSync(twenty, JSON.stringify(generateConfig(20), null, 2));
  const queues = path.join(tmp, 'bench-20x200.json');
  fs.writeFileSync(queues, JSON.stringify(generateConfig(20, 200), null, 2));

  const empty = ['--app', 'npx tsx scripts/bench/empty-app.ts'];
  const trees: Array<[string, string]> = [['', ROOT], ...(compare ? [[`${path.basename(compare)}: `, compare] as [string, string]] : [])];
  const cases: Case[] = [];
  const add = (label: string, cwd: string, args: string[]) => {
    const c = { label, cwd, args, samples: [] };
    cases.push(c);
    return c;
  };
  // The empty-stack app is this checkout's, whichever tree is measured: the same baseline for both.
  const emptyCase = add('empty-stack app', ROOT, empty);
  const rows = trees.map(([prefix, cwd]) => ({
    prefix,
    dev: add(`${prefix}default environment (dev)`, cwd, []),
    devAll: add(`${prefix}dev, every compliance pack`, cwd, ['-c', 'compliance=all']),
    big: add(`${prefix}20 brokers`, cwd, ['-c', `config=${twenty}`]),
    scale: add(`${prefix}20 brokers x 200 queues`, cwd, ['-c', `config=${queues}`]),
  }));

  const loadBefore = load();
  process.stderr.write(`cdk synth, ${RUNS} rounds of every case (median), load average ${loadBefore}\n`);
  try {
    // Warm-up: the file cache, and the rotation function's bundle (built once, then reused).
    for (const c of [emptyCase, ...rows.map((r) => r.dev)]) await runOnce(c.cwd, c.args);
    for (let round = 1; round <= RUNS; round++) {
      for (const c of cases) {
        process.stderr.write(`  round ${round}/${RUNS}: ${c.label}...`.padEnd(70) + '\r');
        c.samples.push(await runOnce(c.cwd, c.args));
      }
    }
    process.stderr.write(' '.repeat(70) + '\r');
    const base = summary(emptyCase);
    const ratio = (a: number, b: number) => (a / b).toFixed(2).padStart(10);
    const line = (name: string, s: Sample) =>
      `${name.padEnd(40)} ${s.seconds.toFixed(2).padStart(7)} s ${s.cpuSeconds.toFixed(2).padStart(7)} s ${s.peakMiB.toFixed(0).padStart(6)} MiB ${ratio(s.seconds, base.seconds)} ${ratio(s.cpuSeconds, base.cpuSeconds)} ${ratio(s.peakMiB, base.peakMiB)}`;
    console.log(`cdk synth, median of ${RUNS} interleaved rounds; load average ${loadBefore} before, ${load()} after`);
    console.log(
      `${'case'.padEnd(40)} ${'wall'.padStart(9)} ${'cpu'.padStart(9)} ${'peak RSS'.padStart(10)} ${'wall ratio'.padStart(10)} ${'cpu ratio'.padStart(10)} ${'mem ratio'.padStart(10)}`,
    );
    console.log(line('empty-stack app', base));
    for (const r of rows) for (const c of [r.dev, r.devAll, r.big, r.scale]) console.log(line(c.label, summary(c)));
    for (const r of rows) {
      const dev = summary(r.dev);
      const scale = summary(r.scale);
      const peak = Math.max(...[r.dev, r.devAll, r.big, r.scale].map((c) => summary(c).peakMiB));
      const goal = (name: string, value: number, max: number) =>
        `${name} ${value.toFixed(2)} (goal <= ${max}: ${value <= max ? 'met' : 'NOT met'})`;
      console.log(
        `${r.prefix || 'goals: '}${[
          goal('dev wall ratio', dev.seconds / base.seconds, GOALS.devTime),
          goal('20x200 wall ratio', scale.seconds / base.seconds, GOALS.scaleTime),
          goal('peak memory ratio', peak / base.peakMiB, GOALS.memory),
        ].join('; ')}`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
