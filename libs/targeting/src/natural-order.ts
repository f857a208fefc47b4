/**
 * Natural ordering (seed 000 §2: revisions compare naturally, so `r3 < r10`, `3.9 < 3.10`,
 * `v2.0.1 < v2.0.10`, `1.0 < 1.0.1`).
 *
 * A value is split into runs of ASCII digits and runs of other characters. Digit runs compare by
 * numeric value (leading zeros ignored: `r03` ranks with `r3`); other runs compare case-insensitively
 * by code point; a digit run ranks before a text run; a value that is a prefix of another ranks
 * first. This is ordering only: `=` stays exact.
 *
 * The order is *defined* by {@link naturalSortKey}: plain byte order of the keys (`COLLATE "C"` in
 * PostgreSQL, `<` on these pure-ASCII strings in JavaScript) is the natural order, so the SQL tier
 * compares an indexed key column with the key of the literal and always agrees with the predicate.
 *
 * Key layout, in printable ASCII:
 * - a digit run → `" "` + its significant-digit count as 3 digits (capped at 999) + the digits;
 *   the space sorts below every text character, and the length prefix makes longer numbers larger;
 * - a text character (lower-cased) → itself for `"` … `}`; `!` + one character for space, control
 *   characters and `!` (they stay below the rest); `~` + 6 hex digits of the code point for `~` and
 *   everything above (they stay above the rest, in code-point order).
 *
 * Limits: keys are cut at {@link NATURAL_SORT_KEY_MAX_LENGTH} characters (a prefix cut keeps the
 * order, and it bounds index entries); values whose keys agree up to the cut compare equal. That is
 * about 120 characters of a typical version or serial; a 999-digit run or more compares by its leading digits.
 */
export const NATURAL_SORT_KEY_MAX_LENGTH = 255;

const DIGIT_RUN = ' ';

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function encodeChar(codePoint: number): string {
  if (codePoint > 0x21 && codePoint < 0x7e) return String.fromCharCode(codePoint);
  if (codePoint <= 0x21) return `!${String.fromCharCode(0x40 + codePoint)}`;
  return `~${codePoint.toString(16).padStart(6, '0')}`;
}

export function naturalSortKey(value: string): string {
  const text = value.toLowerCase();
  let key = '';
  let index = 0;
  while (index < text.length && key.length < NATURAL_SORT_KEY_MAX_LENGTH) {
    if (isDigit(text.charCodeAt(index))) {
      let end = index;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      let first = index;
      while (first < end - 1 && text.charCodeAt(first) === 0x30) first++;
      const length = Math.min(end - first, 999);
      key += `${DIGIT_RUN}${String(length).padStart(3, '0')}${text.slice(first, Math.min(end, first + NATURAL_SORT_KEY_MAX_LENGTH))}`;
      index = end;
    } else {
      const codePoint = text.codePointAt(index) ?? 0;
      key += encodeChar(codePoint);
      index += codePoint > 0xffff ? 2 : 1;
    }
  }
  return key.length > NATURAL_SORT_KEY_MAX_LENGTH ? key.slice(0, NATURAL_SORT_KEY_MAX_LENGTH) : key;
}

/** Negative, zero or positive as `a` ranks before, with or after `b` in natural order. */
export function compareNatural(a: string, b: string): number {
  const keyA = naturalSortKey(a);
  const keyB = naturalSortKey(b);
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}
