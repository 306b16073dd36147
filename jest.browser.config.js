/** Browser tests: the real app, driven by playwright-core in Debian's headless chromium. */
// The same transform and setup as the e2e tier, so the two never drift apart.
const { projects } = require('./jest.config');
const { displayName: _unused, testMatch: _e2eOnly, ...e2e } = projects.find((p) => p.displayName === 'e2e');

module.exports = {
  ...e2e,
  testTimeout: 60000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/global-setup.js',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
};
