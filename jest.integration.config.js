/** Integration tests: real brokers on 127.0.0.1 (see docs/operator-tooling.md). Run in band: tests restart brokers. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/integration/harness/global-setup.ts',
  transform: {
    '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-transformer.js',
  },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  maxWorkers: 1,
  testTimeout: 120000,
};
