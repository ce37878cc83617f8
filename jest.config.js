/** @type {import('jest').Config} */
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
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts'],
};
