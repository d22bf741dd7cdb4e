import * as fs from 'fs';
import * as path from 'path';
import type { ResolvedConfig } from './resolve';
import { ConfigValidationError, validateConfig } from './validate';

/** Where a stage's config lives: config/<stage>.json. */
export const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

export function configPathForStage(stage: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(stage)) {
    throw new Error(`stage "${stage}" is not a config name; allowed: lower-case letters, digits and "-" (config/<stage>.json)`);
  }
  return path.join(CONFIG_DIR, `${stage}.json`);
}

/** Reads, parses and validates a config file; throws one error that lists every problem. */
export function loadConfigFile(file: string): ResolvedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot read the config file; pass -c stage=<name> for config/<name>.json or -c config=<path>`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return parseConfig(raw, file);
}

export function parseConfig(raw: unknown, source = 'config'): ResolvedConfig {
  const { plan, problems } = validateConfig(raw);
  if (!plan) throw new ConfigValidationError(source, problems);
  return plan;
}
