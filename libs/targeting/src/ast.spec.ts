import { attributesUsed, describeExpression, type PolicyExpression } from './ast.js';
import { parsePolicy } from './parser.js';
import { randomExpression, seededRandom } from './testing/random-policies.js';

describe('ast', () => {
  describe(describeExpression.name, () => {
    it.each([
      ['type="amr"and model="X1"', 'type = "amr" AND model = "X1"'],
      ['(type = "a" or model = "b") and serial = "c"', '(type = "a" OR model = "b") AND serial = "c"'],
      ['type = "a" or (model = "b" and serial = "c")', 'type = "a" OR model = "b" AND serial = "c"'],
      ['not (type = "a" and model = "b")', 'NOT (type = "a" AND model = "b")'],
      ['not (not type = "a")', 'NOT NOT type = "a"'],
      ['serial in ("a\\"b","c\\\\d" , 3)', 'serial IN ("a\\"b", "c\\\\d", 3)'],
      ['capabilities not in ("x")', 'capabilities NOT IN ("x")'],
      ['firmwareVersion >= 3.10', 'firmware_version >= 3.10'],
    ])('should normalize %j to %j', (source, canonical) => {
      expect(describeExpression(parsePolicy(source))).toBe(canonical);
    });

    it('should keep the grouping of a hand-built nested junction', () => {
      const leaf = (value: string): PolicyExpression => ({
        kind: 'comparison',
        attribute: 'serial',
        operator: '=',
        value: { kind: 'string', value },
      });
      const tree: PolicyExpression = {
        kind: 'and',
        operands: [{ kind: 'and', operands: [leaf('a'), leaf('b')] }, leaf('c')],
      };
      expect(describeExpression(tree)).toBe('(serial = "a" AND serial = "b") AND serial = "c"');
    });

    it('should give text that parses back to the same tree for random expressions', () => {
      const random = seededRandom(42);
      for (let trial = 0; trial < 300; trial++) {
        // The parser flattens nested junctions, so compare from the first parse on.
        const tree = parsePolicy(describeExpression(randomExpression(random, 4)));
        expect(parsePolicy(describeExpression(tree))).toEqual(tree);
      }
    });
  });

  describe(attributesUsed.name, () => {
    it.each([
      ['type = "amr" AND model = "X1" AND revision >= "r3"', ['type', 'model', 'revision']],
      [
        'timezone = "UTC" OR NOT (capabilities IN ("a") AND type = "b" AND timezone = "x")',
        ['type', 'capabilities', 'timezone'],
      ],
      ['firmwareVersion > 3 AND firmware_version < 4', ['firmware_version']],
    ])('should list the attributes of %s', (source, attributes) => {
      expect(attributesUsed(parsePolicy(source))).toEqual(attributes);
    });
  });
});
