import preset from './jest.preset.js';

export default {
  ...preset,
  rootDir: '.',
  testMatch: [
    '<rootDir>/apps/**/*.(spec|int-spec|e2e-spec).ts',
    '<rootDir>/libs/**/*.(spec|int-spec|e2e-spec).ts',
    '<rootDir>/tools/**/*.(spec|int-spec|e2e-spec).ts',
  ],
  // Generous: a 2-core CI machine creating PGlite instances and real servers under load is slow.
  testTimeout: 120000,
  // The real servers as Testcontainers where a Docker engine exists and none is configured.
  globalSetup: '<rootDir>/tools/infra/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/tools/infra/jest-global-teardown.mjs',
};
