/**
 * Makes a synthesized template stable for snapshots and reviews: asset hashes change with every
 * build of bundled code and say nothing about the infrastructure.
 */
export function normalizeTemplate(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip|\.json)?/g, (_m, ext: string | undefined) => `<asset-hash>${ext ?? ''}`));
}

/** The text of a stack's snapshot file. */
export function renderSnapshot(template: unknown): string {
  return JSON.stringify(normalizeTemplate(template), null, 2) + '\n';
}
