import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `bin/mq-platform.js` (the npx entry) as a child process, with AWS made unreachable on purpose. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('MQ_PLATFORM_')) clean[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'mq-platform.js'), ...args],
      { cwd: ROOT, env: { ...clean, AWS_EC2_METADATA_DISABLED: 'true', ...env }, timeout: 90000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/** Writes a secret JSON file readable only by us. */
export function writeSecretFile(dir: string, username: string, password: string): string {
  const file = path.join(dir, `secret-${username}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify({ username, password }), { mode: 0o600 });
  return file;
}
