/**
 * Makes a synthesized template stable for snapshots and reviews: asset hashes change with every
 * build of bundled code, and construct-path metadata (present under `cdk synth`, absent under
 * `Template.fromStack`) says nothing about the infrastructure. Resources are still named by their
 * logical ids, which the review reads.
 */
export function normalizeTemplate(template: unknown): unknown {
  const hashed = JSON.parse(
    JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip|\.json)?/g, (_m, ext: string | undefined) => `<asset-hash>${ext ?? ''}`),
  );
  const resources = (hashed as { Resources?: Record<string, { Metadata?: Record<string, unknown> }> }).Resources ?? {};
  for (const resource of Object.values(resources)) {
    if (!resource.Metadata) continue;
    for (const key of Object.keys(resource.Metadata))
      if (key.startsWith('aws:cdk:') || key.startsWith('aws:asset:')) delete resource.Metadata[key];
    if (Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
  }
  return hashed;
}

/**
 * The text of a stack's snapshot file: JSON, one line per leaf object or array (one whose members
 * are all scalars, e.g. a security group rule, a tag, a `Ref`), so that a one-field config change
 * changes a line or two rather than a dozen. Leaves longer than {@link MAX_INLINE} are expanded.
 */
export function renderSnapshot(template: unknown): string {
  return render(normalizeTemplate(template), '') + '\n';
}

/** Longest leaf written on one line (characters of the inline form). */
export const MAX_INLINE = 160;

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function render(value: unknown, indent: string): string {
  if (isScalar(value)) return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (inline.length <= MAX_INLINE) return inline;
    }
    return `[\n${value.map((v) => inner + render(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (entries.every(([, v]) => isScalar(v))) {
    const inline = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
    if (inline.length <= MAX_INLINE) return inline;
  }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(',\n')}\n${indent}}`;
}
