import { jest } from '@jest/globals';
import { compile } from '@flexgalaxy/targeting';
import { CompiledPolicySet, softwareKey } from './compiled-policy-set.js';
import type { MatchingPolicy } from './policy.js';

const policy = (id: string, targetExpression: string, softwareName = 'RoboOS'): MatchingPolicy => ({
  id,
  ownerAccountId: 'acc-maker',
  targetExpression,
  distributionSetId: 1,
  softwareName,
  softwareVersion: '2.0',
  listingId: null,
  category: 'device_bound',
  wavePercentages: [],
  currentWave: 0,
});

describe(CompiledPolicySet.name, () => {
  describe('matching', () => {
    const robot = { type: 'amr', model: 'M7', revision: 'r3', capabilities: ['navigation'] };

    it.each([
      ['type = "AMR" AND model = "m7"', true],
      ['model = "M8"', false],
      ['revision >= "r10"', false],
      ['capabilities = "navigation" AND NOT model IN ("M1", "M2")', true],
    ])('should answer %s with %s', (expression, expected) => {
      const set = new CompiledPolicySet([policy('p1', expression)], compile);
      expect(set.matching(robot, new Map()).map((p) => p.id)).toEqual(expected ? ['p1'] : []);
    });

    it("should give each policy the target's installed version of that policy's own software", () => {
      const set = new CompiledPolicySet(
        [policy('os', 'software_version < "2.0"', 'RoboOS'), policy('nav', 'software_version < "2.0"', 'NavKit')],
        compile,
      );
      const installed = new Map([
        [softwareKey('acc-maker', 'RoboOS'), '1.9'],
        [softwareKey('acc-maker', 'NavKit'), '2.1'],
      ]);
      expect(set.matching(robot, installed).map((p) => p.id)).toEqual(['os']);
      // Software another account publishes under the same name is another software.
      expect(set.matching(robot, new Map([[softwareKey('acc-other', 'RoboOS'), '1.0']]))).toEqual([]);
    });

    it('should keep the order of the policies and compile each once', () => {
      const compiles = jest.fn(compile);
      const set = new CompiledPolicySet([policy('a', 'type = "amr"'), policy('b', 'model = "M7"')], compiles);
      set.matching(robot, new Map());
      expect(set.matching(robot, new Map()).map((p) => p.id)).toEqual(['a', 'b']);
      expect(compiles).toHaveBeenCalledTimes(2);
    });
  });
});
