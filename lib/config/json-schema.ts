import { configJsonSchema } from './schema';

/** config/schema.json as it must be on disk; a test proves the committed file equals it. */
export function renderConfigJsonSchema(): string {
  return JSON.stringify(configJsonSchema(), null, 2) + '\n';
}
