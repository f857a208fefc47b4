import { planIssuance, type IssuanceFact } from './issuance-policy.js';

let clock = 0;
const fact = (
  id: string,
  kind: IssuanceFact['kind'],
  version: string | null = '1.0.0',
  passed: boolean | null = null,
): IssuanceFact => ({
  id,
  kind,
  softwareVersion: version,
  passed,
  occurredAt: new Date(Date.UTC(2026, 10, 23, 0, 0, ++clock)),
});
const none = { any: false, versions: new Set<string | null>() };

describe('planIssuance', () => {
  it.each([
    { trigger: 'on_install' as const, kind: 'INSTALLED' as const },
    { trigger: 'on_activation' as const, kind: 'ACTIVATED' as const },
  ])('should issue once per device for $trigger, then consume repeats as already licensed', ({ trigger, kind }) => {
    const first = planIssuance(trigger, [fact('a', kind), fact('b', kind, '1.1.0')], none);
    expect(first).toEqual({ issue: [{ softwareVersion: '1.1.0', factIds: ['a', 'b'] }], consume: [] });
    const again = planIssuance(trigger, [fact('c', kind)], { any: true, versions: new Set(['1.1.0']) });
    expect(again).toEqual({ issue: [], consume: [{ factIds: ['c'], reason: 'already licensed' }] });
  });

  it('should ignore facts that are not the trigger (a download does not license an on_install listing)', () => {
    expect(planIssuance('on_install', [fact('d', 'DOWNLOADED'), fact('v', 'VALIDATED', '1.0.0', true)], none)).toEqual({
      issue: [],
      consume: [],
    });
  });

  it('should issue one consumable license per completed download, even when licensed already', () => {
    const plan = planIssuance('on_download', [fact('d1', 'DOWNLOADED'), fact('d2', 'DOWNLOADED', '1.0.1')], {
      any: true,
      versions: new Set(['1.0.0']),
    });
    expect(plan.issue).toEqual([
      { softwareVersion: '1.0.0', factIds: ['d1'] },
      { softwareVersion: '1.0.1', factIds: ['d2'] },
    ]);
  });

  describe('on_install_validated', () => {
    it('should wait for both the install and a passed validation of the same version', () => {
      expect(planIssuance('on_install_validated', [fact('i', 'INSTALLED', '2.0.0')], none).issue).toEqual([]);
      expect(planIssuance('on_install_validated', [fact('v', 'VALIDATED', '2.0.0', true)], none).issue).toEqual([]);
      expect(
        planIssuance(
          'on_install_validated',
          [fact('i', 'INSTALLED', '2.0.0'), fact('v', 'VALIDATED', '2.0.1', true)],
          none,
        ).issue,
      ).toEqual([]);
      expect(
        planIssuance(
          'on_install_validated',
          [fact('i', 'INSTALLED', '2.0.0'), fact('v', 'VALIDATED', '2.0.0', true)],
          none,
        ),
      ).toEqual({ issue: [{ softwareVersion: '2.0.0', factIds: ['v', 'i'] }], consume: [] });
    });

    it('should consume a failed validation without a license', () => {
      const plan = planIssuance(
        'on_install_validated',
        [fact('i', 'INSTALLED', '2.0.0'), fact('v', 'VALIDATED', '2.0.0', false)],
        none,
      );
      expect(plan).toEqual({ issue: [], consume: [{ factIds: ['v'], reason: 'model validation failed' }] });
    });

    it('should lock licenses to versions: a licensed version is not licensed twice, a new one is', () => {
      const plan = planIssuance(
        'on_install_validated',
        [
          fact('i1', 'INSTALLED', '2.0.0'),
          fact('v1', 'VALIDATED', '2.0.0', true),
          fact('i2', 'INSTALLED', '3.0.0'),
          fact('v2', 'VALIDATED', '3.0.0', true),
        ],
        { any: true, versions: new Set(['2.0.0']) },
      );
      expect(plan.issue).toEqual([{ softwareVersion: '3.0.0', factIds: ['v2', 'i2'] }]);
      expect(plan.consume).toEqual([{ factIds: ['v1', 'i1'], reason: 'already licensed for this version' }]);
    });
  });
});
