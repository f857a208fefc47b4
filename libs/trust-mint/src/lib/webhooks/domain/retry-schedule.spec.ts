import { nextAttemptDelay, retryAfterMs } from './retry-schedule.js';

describe('nextAttemptDelay', () => {
  const schedule = [5_000, 300_000, 1_800_000];

  it.each([
    { failed: 1, expected: 5_000 },
    { failed: 2, expected: 300_000 },
    { failed: 3, expected: 1_800_000 },
    { failed: 4, expected: null },
  ])('should wait $expected ms after $failed failed attempts (no jitter)', ({ failed, expected }) => {
    expect(nextAttemptDelay(schedule, failed, 0)).toBe(expected);
  });

  it('should keep a jittered delay within ± the jitter fraction', () => {
    expect(nextAttemptDelay(schedule, 1, 0.2, () => 0)).toBe(4_000);
    expect(nextAttemptDelay(schedule, 1, 0.2, () => 1)).toBe(6_000);
    for (let i = 0; i < 100; i++) {
      const delay = nextAttemptDelay(schedule, 2, 0.2)!;
      expect(delay).toBeGreaterThanOrEqual(240_000);
      expect(delay).toBeLessThanOrEqual(360_000);
    }
  });
});

describe('retryAfterMs', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it.each([
    { header: '30', expected: 30_000 },
    { header: 'Mon, 23 Nov 2026 12:01:00 GMT', expected: 60_000 },
    { header: 'soon', expected: null },
    { header: null, expected: null },
  ])('should read Retry-After $header as $expected ms', ({ header, expected }) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
