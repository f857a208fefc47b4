import { hawkbitModuleType, hawkbitSetType } from './hawkbit.mapper.js';

describe('hawkBit mapper', () => {
  describe(hawkbitModuleType.name, () => {
    it.each([
      { part: 'os', type: 'os' },
      { part: 'OS', type: 'os' },
      { part: 'application', type: 'application' },
      { part: 'firmware', type: 'application' },
    ])('should map part $part to hawkBit type $type', ({ part, type }) => {
      expect(hawkbitModuleType(part)).toBe(type);
    });
  });

  describe(hawkbitSetType.name, () => {
    it.each([
      { parts: ['os'], type: 'os' },
      { parts: ['application', 'addon'], type: 'app' },
      { parts: ['os', 'application'], type: 'os_app' },
    ])('should pick $type for parts $parts', ({ parts, type }) => {
      expect(hawkbitSetType(parts)).toBe(type);
    });
  });
});
