/** Writes config/schema.json from the zod schema in lib/config/schema.ts (`npm run schema`). */
import * as fs from 'fs';
import * as path from 'path';
import { renderConfigJsonSchema } from '../lib/config/json-schema';

const file = path.join(__dirname, '..', 'config', 'schema.json');
fs.writeFileSync(file, renderConfigJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
