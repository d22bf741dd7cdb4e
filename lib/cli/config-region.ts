import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

/** Region of the environment from config/<stage>.json ("environment" and "region" fields), if any. */
export function regionFromConfig(environment: string, cwd: string): string | undefined {
  const dir = path.join(cwd, 'config');
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return undefined;
  }
  for (const f of files.sort()) {
    try {
      const c = parseJsonc(fs.readFileSync(path.join(dir, f), 'utf8')) as { environment?: unknown; region?: unknown };
      if (c.environment === environment && typeof c.region === 'string') return c.region;
    } catch {
      // Not ours to validate; the CDK app reports bad config.
    }
  }
  return undefined;
}
