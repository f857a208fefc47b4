import { checkToken, expiryOf, issuesM2mClient, type TokenFacts } from './claim-token-rules.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const token = (overrides: Partial<TokenFacts> = {}): TokenFacts => ({
  kind: 'claim',
  deviceType: 'pda',
  expiresAt: new Date('2026-11-23T13:00:00Z'),
  usedAt: null,
  ...overrides,
});

describe('claim token rules', () => {
  describe(checkToken.name, () => {
    it.each([
      {
        case: 'a fresh token of the right kind and type',
        facts: token(),
        as: 'claim',
        type: 'pda',
        expected: { ok: true },
      },
      {
        case: 'a used token',
        facts: token({ usedAt: NOW }),
        as: 'claim',
        type: 'pda',
        expected: { ok: false, problem: 'already_used' },
      },
      {
        case: 'a used and expired token (used wins)',
        facts: token({ usedAt: NOW, expiresAt: new Date('2026-11-23T11:00:00Z') }),
        as: 'claim',
        type: 'pda',
        expected: { ok: false, problem: 'already_used' },
      },
      {
        case: 'an expired token',
        facts: token({ expiresAt: new Date('2026-11-23T11:59:59Z') }),
        as: 'claim',
        type: 'pda',
        expected: { ok: false, problem: 'expired' },
      },
      {
        case: 'a token expiring right now',
        facts: token({ expiresAt: NOW }),
        as: 'claim',
        type: 'pda',
        expected: { ok: false, problem: 'expired' },
      },
      {
        case: 'a pre-shared token presented as a claim token',
        facts: token({ kind: 'pre_shared' }),
        as: 'claim',
        type: 'pda',
        expected: { ok: false, problem: 'kind_mismatch' },
      },
      {
        case: 'a token for another device type',
        facts: token(),
        as: 'claim',
        type: 'tablet',
        expected: { ok: false, problem: 'device_type_mismatch' },
      },
    ] as const)('should answer $expected for $case', ({ facts, as, type, expected }) => {
      expect(checkToken(facts, as, type, NOW)).toEqual(expected);
    });
  });

  describe(expiryOf.name, () => {
    const limits = { defaultSeconds: 3600, maxSeconds: 86_400 };
    it.each([
      { requested: {}, expected: { ok: true, expiresAt: new Date('2026-11-23T13:00:00Z') } },
      { requested: { expiresInSeconds: 600 }, expected: { ok: true, expiresAt: new Date('2026-11-23T12:10:00Z') } },
      {
        requested: { expiresAt: new Date('2026-11-24T12:00:00Z') },
        expected: { ok: true, expiresAt: new Date('2026-11-24T12:00:00Z') },
      },
      { requested: { expiresAt: new Date('2026-11-24T12:00:01Z') }, expected: { ok: false, problem: 'too_far' } },
      { requested: { expiresAt: new Date('2026-11-23T11:00:00Z') }, expected: { ok: false, problem: 'in_the_past' } },
    ])('should give $expected for $requested', ({ requested, expected }) => {
      expect(expiryOf(NOW, requested, limits)).toEqual(expected);
    });
  });

  it('should issue an M2M client for claim tokens (PDAs) but not pre-shared ones (sensors)', () => {
    expect(issuesM2mClient('claim')).toBe(true);
    expect(issuesM2mClient('pre_shared')).toBe(false);
  });
});
