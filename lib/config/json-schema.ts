import { ENGINE_VERSIONS, INSTANCE_TYPE_RULES } from '../amazonmq/catalog';
import { KNOWN_REGIONS } from './rules/environment-rules';
import { configJsonSchema, ENGINES } from './schema';

/**
 * config/schema.json as it must be on disk; a test proves the committed file equals it. The zod
 * schema gives the shape; the catalog adds what an editor should complete and flag: engine
 * versions and instance types per engine, regions, and at least one broker. Synth checks the same
 * facts with rules, which say more than an editor can.
 */
/** The parts of config/schema.json this file adds to (JSON Schema draft 7). */
interface JsonSchemaNode {
  properties: Record<string, JsonSchemaNode>;
  items: JsonSchemaNode;
  enum?: unknown[];
  minItems?: number;
  allOf?: unknown[];
}

export function renderConfigJsonSchema(): string {
  const schema = configJsonSchema() as JsonSchemaNode;
  schema.properties.region.enum = [...KNOWN_REGIONS];
  schema.properties.brokers.minItems = 1;
  const broker = schema.properties.brokers.items;
  const versions = [...new Set(Object.values(ENGINE_VERSIONS).flat())];
  const types = [...new Set(INSTANCE_TYPE_RULES.flatMap((r) => r.instanceTypes))];
  broker.properties.engineVersion.enum = versions;
  broker.properties.instanceType.enum = types;
  broker.allOf = ENGINES.map((engine) => ({
    if: { properties: { engine: { const: engine } }, required: ['engine'] },
    then: {
      properties: {
        engineVersion: { enum: [...ENGINE_VERSIONS[engine]] },
        instanceType: { enum: [...new Set(INSTANCE_TYPE_RULES.filter((r) => r.engine === engine).flatMap((r) => r.instanceTypes))] },
      },
    },
  }));
  return JSON.stringify(schema, null, 2) + '\n';
}
