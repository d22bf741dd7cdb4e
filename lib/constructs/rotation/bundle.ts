import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.join(__dirname, '..', '..', '..');
const ENTRY = 'lib/rotation/handler.ts';

let cached: string | undefined;

/**
 * Bundles the rotation function with esbuild, in-process at synth: one file, SDK clients included
 * (pinned by package-lock, not by whatever the Lambda runtime ships), no source maps, paths relative
 * to the repository, so the same sources give the same bytes and the same asset hash on any machine.
 * Returns a directory holding index.js, named after the content hash; built once per process.
 */
export function rotationFunctionBundle(): string {
  if (cached && fs.existsSync(path.join(cached, 'index.js'))) return cached;
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
    outfile: 'index.js',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `mq-platform-rotation-${hash}`);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    fs.mkdirSync(dir, { recursive: true });
    // Written to a temporary name and renamed, so parallel synths never see half a file.
    const tmp = path.join(dir, `index.js.${process.pid}.tmp`);
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, path.join(dir, 'index.js'));
  }
  cached = dir;
  return dir;
}
