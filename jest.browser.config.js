/** Browser tests: the real app, driven by playwright-core in Debian's headless chromium. */
module.exports = {
  rootDir: __dirname,
  testTimeout: 60000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/global-setup.js',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // ts-jest also turns the few ESM-only dependencies (content-disposition, jose 6) into CommonJS for Jest.
  transform: { '^.+\\.(ts|js)$': ['ts-jest', { diagnostics: false, tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|jose)/)'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
};
