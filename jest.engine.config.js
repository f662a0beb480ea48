/**
 * `npm run test:engine`: the integration suites that run against DynamoDB Local
 * (Amazon's own engine, Java 17), started once for the run by the global setup.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.engine.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/engine/global-setup.ts',
  globalTeardown: '<rootDir>/test/engine/global-teardown.ts',
};
