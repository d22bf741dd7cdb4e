import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.join(__dirname, '..', '..', '..');
const ENTRY = 'lib/rotation/handler.ts';
const CACHE = path.join(os.tmpdir(), 'mq-platform-rotation-cache');

let cached: string | undefined;

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * Bundles the rotation function with esbuild, in-process at synth: one file, SDK clients included
 * (pinned by package-lock, not by whatever the Lambda runtime ships), no source maps, paths relative
 * to the repository, so the same sources give the same bytes and the same asset hash on any machine.
 * Returns a directory holding index.js, named after the content hash.
 *
 * The bundle is a function of the project's own input files and package-lock.json (which pins
 * every node_modules input): when none of them changed since the last synth on this machine, the
 * previous bundle is reused and esbuild does not run.
 */
export function rotationFunctionBundle(): string {
  if (cached && fs.existsSync(path.join(cached, 'index.js'))) return cached;
  const lockHash = sha256(fs.readFileSync(path.join(ROOT, 'package-lock.json')));
  const manifestFile = path.join(CACHE, `inputs-${lockHash.slice(0, 16)}.json`);
  const reused = reuse(manifestFile);
  if (reused) return (cached = reused);

  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    metafile: true,
    outfile: 'index.js',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const dir = path.join(os.tmpdir(), `mq-platform-rotation-${sha256(code).slice(0, 16)}`);
  writeAtomically(path.join(dir, 'index.js'), code);
  // The project's own inputs; node_modules inputs are pinned by package-lock.json (in the file name).
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  const manifest = { dir, inputs: Object.fromEntries(inputs.map((f) => [f, sha256(fs.readFileSync(path.join(ROOT, f)))])) };
  writeAtomically(manifestFile, JSON.stringify(manifest));
  return (cached = dir);
}

/** The previous bundle, when every input it was built from is unchanged. */
function reuse(manifestFile: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { dir: string; inputs: Record<string, string> };
    const same = Object.entries(manifest.inputs).every(([f, hash]) => sha256(fs.readFileSync(path.join(ROOT, f))) === hash);
    return same && fs.existsSync(path.join(manifest.dir, 'index.js')) ? manifest.dir : undefined;
  } catch {
    return undefined; // no manifest yet, or an input was removed
  }
}

/** Written to a temporary name and renamed, so parallel synths never see half a file. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
