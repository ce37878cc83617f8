/**
 * `npm run test:browser`: the demo page in Debian's Chromium (playwright-core), against the
 * same local stack the integration tests start. Kept out of the default jest run because it
 * needs a browser installed (.ci/run installs Debian's chromium and runs it after npm test).
 */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'browser',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/integration/global-setup.ts',
  globalTeardown: '<rootDir>/tests/integration/global-teardown.ts',
  testTimeout: 60_000,
};
