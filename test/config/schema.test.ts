import * as fs from 'fs';
import * as path from 'path';
import { ENGINE_VERSIONS } from '../../lib/amazonmq/catalog';
import { renderConfigJsonSchema } from '../../lib/config/json-schema';
import { KNOWN_REGIONS } from '../../lib/config/rules/environment-rules';
import { rawStageConfig, shippedStages } from '../support/configs';

describe('config/schema.json', () => {
  test('is generated from lib/config/schema.ts and current (run `npm run schema` after changing the schema)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'schema.json'), 'utf8');
    expect(committed).toBe(renderConfigJsonSchema());
  });

  test.each(shippedStages())('config/%s.json points editors at it', (stage) => {
    expect(rawStageConfig(stage).$schema).toBe('./schema.json');
  });

  test('carries the catalog: engine versions and instance types per engine, regions, at least one broker', () => {
    const schema = JSON.parse(renderConfigJsonSchema());
    const broker = schema.properties.brokers.items;
    expect(schema.properties.brokers.minItems).toBe(1);
    expect(schema.properties.region.enum).toEqual([...KNOWN_REGIONS]);
    expect(broker.properties.engineVersion.enum).toEqual(['5.18', '5.19', '3.13', '4.2', '4.3']);
    const per = Object.fromEntries(broker.allOf.map((b: any) => [b.if.properties.engine.const, b.then.properties]));
    expect(per.RABBITMQ.engineVersion.enum).toEqual([...ENGINE_VERSIONS.RABBITMQ]);
    expect(per.ACTIVEMQ.instanceType.enum).not.toContain('mq.m7g.large');
    expect(per.RABBITMQ.instanceType.enum).toContain('mq.m7g.16xlarge');
  });

  test('says what the rules say about RabbitMQ audit logs (false is accepted)', () => {
    const schema = JSON.parse(renderConfigJsonSchema());
    expect(schema.properties.brokers.items.properties.logs.properties.audit.description).toContain('absent or false for RabbitMQ');
  });

  test('forbids unknown keys so editors flag typos', () => {
    const schema = JSON.parse(renderConfigJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.brokers.items.additionalProperties).toBe(false);
  });
});
