import preset from './jest.preset.js';

export default {
  ...preset,
  rootDir: '.',
  testMatch: ['<rootDir>/apps/**/*.(spec|int-spec|e2e-spec).ts', '<rootDir>/libs/**/*.(spec|int-spec|e2e-spec).ts'],
  testTimeout: 60000,
};
