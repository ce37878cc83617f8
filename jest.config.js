/** @type {import('jest').Config} */

// The AWS SDK warns once per module registry (so once per test file, in every Lambda process of the
// local stack) that its releases after January 2027 need node 22; the lockfile pins one that runs on
// node 20 (README says so under its two commands). Said once there, not hundreds of times in every test log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

const project = (name, extra) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  ...extra,
});

module.exports = {
  projects: [
    project('unit', {
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/unit/setup/environment.ts'],
      setupFilesAfterEnv: [
        '<rootDir>/tests/unit/setup/log-hygiene.ts',
        '<rootDir>/tests/unit/setup/sessions-table.ts',
      ],
      globalSetup: '<rootDir>/tests/unit/setup/dynamodb.ts',
      globalTeardown: '<rootDir>/tests/unit/setup/dynamodb-teardown.ts',
    }),
    project('templates', { testMatch: ['<rootDir>/tests/templates/**/*.test.ts'] }),
    project('build', { testMatch: ['<rootDir>/tests/build/**/*.test.ts'] }),
    project('integration', {
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/integration/global-setup.ts',
      globalTeardown: '<rootDir>/tests/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/integration/setup-timeout.ts'],
    }),
    project('contract', { testMatch: ['<rootDir>/tests/contract/**/*.test.ts'] }),
    project('cost', { testMatch: ['<rootDir>/tests/cost/**/*.test.ts'] }),
    project('required-tools', { testMatch: ['<rootDir>/tests/required-tools/**/*.test.ts'] }),
  ],
  // `npm test` runs jest with --coverage, and fails when src/ falls below these (the unit
  // tests' coverage when they were set; the other projects only add to it). Babel's
  // instrumentation, not V8's: V8 coverage made the unit tests take 3-4× as long (it attaches the
  // inspector to every test file, each loading the AWS SDK), Babel's adds about 2 s.
  coverageProvider: 'babel',
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: {
    global: { statements: 97.5, branches: 89.5, functions: 100, lines: 98.1 },
  },
};
