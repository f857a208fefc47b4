import { coverageOf, laterVersion, majorOf, VERSION_PATTERN } from './listing.js';

describe('listing versions', () => {
  it.each(['3', '3.0', '3.0.1', '3.0.1-rc.1', '10.2.3+build.7'])('should accept %s', (version) => {
    expect(VERSION_PATTERN.test(version)).toBe(true);
  });

  it.each(['', 'v3', '3.', 'three', '3.0.0.0.0', '3 .1'])('should refuse %j', (version) => {
    expect(VERSION_PATTERN.test(version)).toBe(false);
  });

  it('should read the major number', () => {
    expect(majorOf('3.10.2')).toBe(3);
    expect(majorOf('12-beta')).toBe(12);
  });

  it('should order versions naturally', () => {
    expect(laterVersion('3.9.0', '3.10.0')).toBe('3.10.0');
    expect(laterVersion('3.10.0', '3.9.9')).toBe('3.10.0');
    expect(laterVersion(null, '1.0.0')).toBe('1.0.0');
  });

  it.each([
    { scoping: 'all' as const, version: '3.1.0', expected: 'all' },
    { scoping: 'major' as const, version: '3.1.0', expected: 'major:3' },
    { scoping: 'exact' as const, version: '3.1.0', expected: 'exact:3.1.0' },
  ])('should make a $scoping Get of $version cover $expected', ({ scoping, version, expected }) => {
    expect(coverageOf(scoping, version)).toBe(expected);
  });
});
