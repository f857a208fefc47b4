import { compareNatural, NATURAL_SORT_KEY_MAX_LENGTH, naturalSortKey } from './natural-order.js';
import { seededRandom } from './testing/random-policies.js';

/** The documented order, run by run, written independently of the key encoding. */
function referenceCompare(a: string, b: string): number {
  const runs = (value: string) => value.toLowerCase().match(/[0-9]+|[^0-9]+/g) ?? [];
  const [left, right] = [runs(a), runs(b)];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const [x, y] = [left[index], right[index]];
    const [xDigits, yDigits] = [/^[0-9]/.test(x), /^[0-9]/.test(y)];
    if (xDigits !== yDigits) return xDigits ? -1 : 1;
    if (xDigits) {
      const difference = BigInt(x) - BigInt(y);
      if (difference !== 0n) return difference < 0n ? -1 : 1;
    } else {
      const [xs, ys] = [[...x].map((c) => c.codePointAt(0) ?? 0), [...y].map((c) => c.codePointAt(0) ?? 0)];
      for (let at = 0; at < Math.min(xs.length, ys.length); at++) {
        if (xs[at] !== ys[at]) return xs[at] < ys[at] ? -1 : 1;
      }
      if (xs.length !== ys.length) return xs.length < ys.length ? -1 : 1;
    }
  }
  return Math.sign(left.length - right.length);
}

describe('natural order', () => {
  describe(compareNatural.name, () => {
    it.each([
      ['r3', 'r10'],
      ['r9', 'r10'],
      ['r1', 'r12'],
      ['3.9', '3.10'],
      ['v2.0.1', 'v2.0.10'],
      ['1.0', '1.0.1'],
      ['1.0.1', '1.1'],
      ['9', '10'],
      ['2', '10.0'],
      ['SN9', 'SN10'],
      ['AMR-X1-042', 'amr-x1-100'],
      ['r3', 'r3a'],
      ['r3', 'R4'],
      ['1a', 'a'],
      ['a1', 'a!'],
      ['a b', 'ab'],
      ['', '0'],
      ['z', 'é'],
      ['é', '😀'],
      ['~', 'é'],
      ['1.0', '1.0-beta'],
      [`${'9'.repeat(30)}`, `1${'0'.repeat(30)}`],
    ])('should rank %j before %j', (a, b) => {
      expect(compareNatural(a, b)).toBe(-1);
      expect(compareNatural(b, a)).toBe(1);
    });

    it.each([
      ['r3', 'R3'],
      ['r03', 'r3'],
      ['3.010', '3.10'],
      ['V2.0', 'v2.00'],
      ['Ä', 'ä'],
    ])('should rank %j with %j', (a, b) => {
      expect(compareNatural(a, b)).toBe(0);
    });

    it('should sort revisions and versions naturally', () => {
      const sorted = ['r10', 'r2', 'R1', 'r12', 'r3'].sort(compareNatural);
      expect(sorted).toEqual(['R1', 'r2', 'r3', 'r10', 'r12']);
      expect(['3.10', '3.9', '3.10.1', '3.1', '10'].sort(compareNatural)).toEqual([
        '3.1',
        '3.9',
        '3.10',
        '3.10.1',
        '10',
      ]);
    });

    it('should agree with the run-by-run definition on random values', () => {
      const random = seededRandom(20260123);
      const alphabet = [
        '0',
        '0',
        '1',
        '3',
        '9',
        '10',
        'a',
        'B',
        'r',
        'R',
        '.',
        '-',
        ' ',
        '!',
        '~',
        '\t',
        'é',
        'É',
        '😀',
        '}',
      ];
      const value = () =>
        Array.from({ length: Math.floor(random() * 7) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
          '',
        );
      for (let trial = 0; trial < 5000; trial++) {
        const [a, b] = [value(), value()];
        expect([a, b, compareNatural(a, b)]).toEqual([a, b, referenceCompare(a, b)]);
      }
    });
  });

  describe(naturalSortKey.name, () => {
    it.each([
      ['r3', 'r 0013'],
      ['r10', 'r 00210'],
      ['3.10', ' 0013. 00210'],
      ['R03', 'r 0013'],
      ['a b!', 'a!`b!a'],
      ['é~', '~0000e9~00007e'],
      ['0', ' 0010'],
    ])('should encode %j as %j', (value, key) => {
      expect(naturalSortKey(value)).toBe(key);
    });

    it('should produce printable ASCII no longer than the cap, whatever the input', () => {
      const random = seededRandom(7);
      for (let trial = 0; trial < 500; trial++) {
        const length = Math.floor(random() * 400);
        const value = Array.from({ length }, () => String.fromCodePoint(Math.floor(random() * 0x11000))).join('');
        const key = naturalSortKey(value);
        expect(key).toMatch(/^[\x20-\x7e]*$/);
        expect(key.length).toBeLessThanOrEqual(NATURAL_SORT_KEY_MAX_LENGTH);
      }
      expect(naturalSortKey('9'.repeat(100_000))).toHaveLength(NATURAL_SORT_KEY_MAX_LENGTH);
    });

    it('should keep the order of values longer than the cap and rank equal past it', () => {
      const long = 'v'.repeat(300);
      expect(compareNatural(`${long}1`, `${long}2`)).toBe(0);
      expect(compareNatural(`a${long}`, `b${long}`)).toBe(-1);
      expect(compareNatural('1'.repeat(998), '9'.repeat(997))).toBe(1);
      // Runs of 999 digits or more all carry the same length: their leading digits decide.
      expect(compareNatural('1'.repeat(1200), '9'.repeat(1000))).toBe(-1);
    });
  });
});
