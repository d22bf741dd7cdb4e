import * as fs from 'fs';
import * as path from 'path';

/**
 * Compares text with a committed snapshot file, one file per stack so that a pull request diff
 * shows each stack on its own. `jest -u` (npm test -- -u) rewrites the files; under `--ci` a
 * missing file fails instead of being written.
 *
 * Why not a library: jest has no public API for the update mode (-u / --ci), so every file-snapshot
 * matcher reads the same private `snapshotState._updateSnapshot` — jest-file-snapshot's toMatchFile
 * included, whose last release (0.7.0, 2024-12) also pins jest-diff 29 under our jest 30. Swapping
 * would add three dependencies and keep the private read; these 20 lines do only what we need.
 */
export function expectFileSnapshot(file: string, actual: string): void {
  const state = expect.getState().snapshotState as unknown as { _updateSnapshot: 'all' | 'new' | 'none' };
  const mode = state._updateSnapshot;
  const exists = fs.existsSync(file);
  if (mode === 'all' || (!exists && mode === 'new')) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!exists || fs.readFileSync(file, 'utf8') !== actual) fs.writeFileSync(file, actual);
    return;
  }
  if (!exists) throw new Error(`snapshot ${path.relative(process.cwd(), file)} is missing; run \`npm test -- -u\` and commit it`);
  const expected = fs.readFileSync(file, 'utf8');
  if (expected !== actual) {
    // toEqual on lines gives a readable diff of just what changed.
    expect(actual.split('\n')).toEqual(expected.split('\n'));
  }
}
