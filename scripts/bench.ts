/**
 * `npm run bench`: time and peak memory of `cdk synth` for the default environment, a generated
 * 20-broker environment and the same with 200 named queues per broker (about 8,200 alarms), each against an empty-stack CDK app run the same way, in the
 * same run. Prints figures; asserts nothing. BENCH_RUNS (default 3) runs per case, median kept.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateConfig } from './bench/generate-config';

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Sample {
  seconds: number;
  peakMiB: number;
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

function runOnce(args: string[]): Promise<Sample> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-bench-'));
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('npx', ['cdk', 'synth', '-q', '-o', outdir, ...args], {
      cwd: ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssKiB(child.pid as number))), 25);
    child.on('close', (code) => {
      clearInterval(timer);
      fs.rmSync(outdir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`cdk synth ${args.join(' ')} failed:\n${stderr}`));
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMiB: peak / 1024 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label: string, args: string[]): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 1; i <= RUNS; i++) {
    process.stderr.write(`  ${label}: run ${i}/${RUNS}...\r`);
    samples.push(await runOnce(args));
  }
  process.stderr.write(' '.repeat(60) + '\r');
  return { seconds: median(samples.map((s) => s.seconds)), peakMiB: median(samples.map((s) => s.peakMiB)) };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-bench-config-'));
  const twenty = path.join(tmp, 'bench-20.json');
  fs.writeFileSync(twenty, JSON.stringify(generateConfig(20), null, 2));
  const queues = path.join(tmp, 'bench-20x200.json');
  fs.writeFileSync(queues, JSON.stringify(generateConfig(20, 200), null, 2));
  process.stderr.write(`cdk synth, ${RUNS} runs per case (median)\n`);
  try {
    await measure('warm-up', ['--app', 'npx tsx scripts/bench/empty-app.ts']);
    const empty = await measure('empty-stack app', ['--app', 'npx tsx scripts/bench/empty-app.ts']);
    const dev = await measure('default environment (dev)', []);
    const devAll = await measure('dev, every compliance pack', ['-c', 'compliance=all']);
    const big = await measure('20-broker environment', ['-c', `config=${twenty}`]);
    const scale = await measure('20 brokers x 200 queues', ['-c', `config=${queues}`]);
    const row = (name: string, s: Sample) =>
      `${name.padEnd(28)} ${s.seconds.toFixed(2).padStart(8)} s ${s.peakMiB.toFixed(0).padStart(8)} MiB ${(s.seconds / empty.seconds).toFixed(2).padStart(10)} ${(s.peakMiB / empty.peakMiB).toFixed(2).padStart(10)}`;
    console.log(
      `${'case'.padEnd(28)} ${'time'.padStart(10)} ${'peak RSS'.padStart(12)} ${'time ratio'.padStart(10)} ${'mem ratio'.padStart(10)}`,
    );
    console.log(row('empty-stack app', empty));
    console.log(row('default environment (dev)', dev));
    console.log(row('dev, every compliance pack', devAll));
    console.log(row('20 brokers', big));
    console.log(row('20 brokers x 200 queues', scale));
    console.log(`goal: default environment time ratio <= 1.5 (now ${(dev.seconds / empty.seconds).toFixed(2)})`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
