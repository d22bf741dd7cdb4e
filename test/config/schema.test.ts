import * as fs from 'fs';
import * as path from 'path';
import { renderConfigJsonSchema } from '../../lib/config/json-schema';
import { rawStageConfig, shippedStages } from '../support/configs';

describe('config/schema.json', () => {
  test('is generated from lib/config/schema.ts and current (run `npm run schema` after changing the schema)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'schema.json'), 'utf8');
    expect(committed).toBe(renderConfigJsonSchema());
  });

  test.each(shippedStages())('config/%s.json points editors at it', (stage) => {
    expect(rawStageConfig(stage).$schema).toBe('./schema.json');
  });

  test('forbids unknown keys so editors flag typos', () => {
    const schema = JSON.parse(renderConfigJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.brokers.items.additionalProperties).toBe(false);
  });
});
