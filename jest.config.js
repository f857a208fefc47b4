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
};
