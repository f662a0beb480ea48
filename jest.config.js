/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/shared', '<rootDir>/functions', '<rootDir>/rules', '<rootDir>/lab', '<rootDir>/local', '<rootDir>/cli', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The suites on DynamoDB Local run apart: npm run test:engine (jest.engine.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.engine\\.test\\.ts$'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleNameMapper: { '^@middy/([^/]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  testTimeout: 60000,
};
