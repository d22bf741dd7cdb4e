import { CONFIG_DIR, stageNamesIn } from './load-config';

/** The environments shipped in config/: every JSON file but schema.json, sorted. */
export function shippedStageNames(): string[] {
  return stageNamesIn(CONFIG_DIR);
}
