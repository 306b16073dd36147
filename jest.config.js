/** Three tiers: unit (no I/O), medium (services on a real database), e2e (the real app over HTTP). */

/** Dependencies published only as ESM, or that load one with `import()` (@fastify/cookie 11.1 → cookie 2):
 * Jest's CommonJS runtime needs them compiled (test/jest-transform.js), which turns `import()` into `require`. */
const ESM_ONLY = [
  'content-disposition',
  'jose',
  '@nestjs/typeorm',
  'openid-client',
  'oauth4webapi',
  '@scure/base',
  '@fastify/cookie',
  'cookie',
];

/** Shared by the three tiers; jest.browser.config.js and jest.scale.config.js reuse the e2e tier's. */
const base = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // ts-jest (through a small wrapper that rewrites import.meta for CommonJS) for our TypeScript and the ESM-only packages.
  transform: { '^.+\\.(ts|js)$': '<rootDir>/test/jest-transform.js' },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
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
