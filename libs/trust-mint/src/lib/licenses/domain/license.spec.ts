import { bestOf, verdictOf, type License } from './license.js';

const now = new Date('2026-11-23T12:00:00Z');
const license = (overrides: Partial<License>): License => ({
  id: 'l1',
  serialNumber: '01',
  accountId: 'a',
  deviceId: 'd',
  softwareId: 's',
  softwareVersion: null,
  type: 'TRIAL',
  policyLicenseType: null,
  trigger: 'enrollment',
  status: 'ACTIVE',
  certificatePem: '',
  token: '',
  issuedAt: new Date('2026-11-01T00:00:00Z'),
  expiresAt: null,
  revokedAt: null,
  revokedReason: null,
  supersededById: null,
  ...overrides,
});

describe('verdictOf', () => {
  it.each([
    { what: 'an active license without expiry', l: license({}), expected: 'valid' },
    {
      what: 'an active license before expiry',
      l: license({ expiresAt: new Date('2026-12-01T00:00:00Z') }),
      expected: 'valid',
    },
    {
      what: 'an active license past expiry',
      l: license({ expiresAt: new Date('2026-11-20T00:00:00Z') }),
      expected: 'expired',
    },
    { what: 'a revoked license', l: license({ status: 'REVOKED', revokedReason: 'fraud' }), expected: 'revoked' },
    {
      what: 'a revoked and expired license',
      l: license({ status: 'REVOKED', expiresAt: new Date('2026-11-20T00:00:00Z') }),
      expected: 'revoked',
    },
    { what: 'a superseded TRIAL', l: license({ status: 'SUPERSEDED', supersededById: 'l2' }), expected: 'revoked' },
  ])('should call $what $expected', ({ l, expected }) => {
    expect(verdictOf(l, now).validity).toBe(expected);
  });
});

describe('bestOf', () => {
  it('should prefer a valid OFFICIAL over a valid TRIAL, and a valid one over a newer revoked one', () => {
    const trial = license({ id: 'trial' });
    const official = license({ id: 'official', type: 'OFFICIAL', issuedAt: new Date('2026-11-02T00:00:00Z') });
    const revoked = license({
      id: 'revoked',
      type: 'OFFICIAL',
      status: 'REVOKED',
      issuedAt: new Date('2026-11-10T00:00:00Z'),
    });
    expect(bestOf([trial, official, revoked], now)?.id).toBe('official');
    expect(bestOf([trial, revoked], now)?.id).toBe('trial');
    expect(bestOf([], now)).toBeNull();
  });
});
