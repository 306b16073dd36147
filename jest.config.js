/** Three tiers: unit (no I/O), medium (services on a real database), e2e (the real app over HTTP). */
const base = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // ts-jest also turns the few ESM-only dependencies (content-disposition, jose 6) into CommonJS for Jest.
  transform: { '^.+\\.(ts|js)$': ['ts-jest', { diagnostics: false, tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|jose)/)'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  rootDir: __dirname,
};

module.exports = {
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.js',
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { ...base, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
