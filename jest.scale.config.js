/**
 * Scale-out tests (issue 11): several real server processes on one MariaDB and one Redis.
 * Needs both (DATABASE_URL=mysql://…, REDIS_URL=redis://127.0.0.1:6379/6); .ci/run provides them.
 * `npm test` does not run these, so the README's commands need nothing but Node.
 */
// The same transform and setup as the e2e tier, so the two never drift apart.
const { projects } = require('./jest.config');
const { displayName: _unused, testMatch: _e2eOnly, ...e2e } = projects.find((p) => p.displayName === 'e2e');

module.exports = {
  ...e2e,
  testMatch: ['<rootDir>/test/scale/**/*.scale-spec.ts'],
  testTimeout: 240_000,
  // Each file starts several server processes: one file at a time on a small machine.
  maxWorkers: 1,
  // The servers are separate processes, stopped in afterAll; nothing of the run may keep CI waiting.
  forceExit: true,
};
