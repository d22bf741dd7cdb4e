/**
 * Type-checking runs once in `npm run build` (part of `npm test`); jest only transpiles, with
 * esbuild (test/support/esbuild-transformer.js). Synth in unit tests skips the CloudFormation validator and creation
 * stack traces unless a test asks (test/support/synth-defaults.ts).
 */
module.exports = {
  // Every core: jest's default (cores - 1) runs a 2-core machine's suite in band, on one core.
  maxWorkers: '100%',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/integration/'],
  transform: {
    '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-transformer.js',
  },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/support/quiet-console.ts', '<rootDir>/test/support/synth-defaults.ts'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
