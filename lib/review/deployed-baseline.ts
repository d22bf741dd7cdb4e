import * as fs from 'fs';
import * as path from 'path';
import { normalizeTemplate } from '../app/normalize-template';
import type { Baseline } from './baseline';
import type { CfnTemplate, StackTemplates } from './template-diff';

/**
 * The baseline of the pipeline's review gate: the templates deployed, as `aws cloudformation
 * get-template --query TemplateBody` wrote them into a directory, one `<stack name>.json` each
 * (a stack not deployed yet has no file). Normalized like the snapshots, so that the review sees
 * the same shape on both sides. Reading files keeps the review itself offline.
 */
export function deployedBaseline(dir: string, environment: string): Baseline {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--deployed ${dir}: no such directory`);
  const templates: Record<string, CfnTemplate> = {};
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    let body: unknown = JSON.parse(text);
    // get-template returns a YAML or JSON body; --output json wraps a JSON body as a string.
    if (typeof body === 'string') body = JSON.parse(body);
    templates[file.replace(/\.json$/, '')] = normalizeTemplate(body) as CfnTemplate;
  }
  return { ref: `deployed (${dir})`, environment, templates: templates as StackTemplates, snapshotsInWorkingTree: true };
}
