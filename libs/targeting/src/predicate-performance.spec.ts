import { describeExpression } from './ast.js';
import { compile, type TargetPredicate } from './predicate.js';
import { randomExpression, randomTarget, seededRandom } from './testing/random-policies.js';

// Goal: a newly enrolled device is matched against 1,000 active policies in under 5 ms.
describe('compile (performance)', () => {
  it('should match one new target against 1,000 compiled policies in < 5 ms (median of runs)', () => {
    const random = seededRandom(1000);
    const policies: TargetPredicate[] = [];
    for (let index = 0; index < 1000; index++) {
      // Seed 000 §2's shape for half of them, random trees of AND/OR/NOT/IN for the rest.
      const source =
        index % 2 === 0
          ? `type = "amr" AND model = "X${index % 7}" AND revision >= "r${index % 12}"`
          : describeExpression(randomExpression(random, 4));
      policies.push(compile(source));
    }
    const timings: number[] = [];
    for (let run = 0; run < 15; run++) {
      const target = randomTarget(random);
      const started = performance.now();
      let matched = 0;
      for (const policy of policies) if (policy(target)) matched++;
      timings.push(performance.now() - started);
      expect(matched).toBeLessThanOrEqual(1000);
    }
    const median = timings.sort((a, b) => a - b)[Math.floor(timings.length / 2)];
    expect(median).toBeLessThan(5);
  });
});
