import * as fs from 'fs';
import { CONFIG_DIR } from './load-config';

/** The environments shipped in config/: every JSON file but schema.json, sorted. */
export function shippedStageNames(): string[] {
  return fs
    .readdirSync(CONFIG_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
