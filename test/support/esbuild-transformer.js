/**
 * Jest transformer: TypeScript to CommonJS with esbuild, transpile only (tsc --noEmit type-checks
 * once in `npm test`). esbuild is already in the tree (it bundles the rotation function), and it
 * transpiles a cold run's files in a fraction of ts-jest's time without loading the TypeScript
 * compiler into every worker. Safe because tsconfig sets isolatedModules (every file transpiles
 * on its own) and no test uses jest.mock (which would need babel/ts-jest hoisting).
 */
const { createHash } = require('crypto');
const fs = require('fs');
const path = require('path');
const { transformSync, version } = require('esbuild');

const SELF = createHash('sha256')
  .update(fs.readFileSync(path.join(__dirname, 'esbuild-transformer.js')))
  .update(version)
  .digest('hex');
// What tsconfig.json says that changes emitted JavaScript (target ES2022: class fields use define semantics).
const tsconfigRaw = { compilerOptions: { target: 'ES2022', useDefineForClassFields: true, esModuleInterop: true } };

module.exports = {
  getCacheKey(source, file) {
    return createHash('sha256').update(SELF).update('\0').update(file).update('\0').update(source).digest('hex');
  },
  process(source, file) {
    const { code, map } = transformSync(source, {
      loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: file,
      tsconfigRaw,
    });
    return { code, map };
  },
};
