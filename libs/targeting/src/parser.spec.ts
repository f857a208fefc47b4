import { describeExpression, type PolicyExpression } from './ast.js';
import { PolicySyntaxError, toErrorDetails } from './errors.js';
import { parsePolicy } from './parser.js';

const eq = (attribute: string, value: string) => ({
  kind: 'comparison',
  attribute,
  operator: '=',
  value: { kind: 'string', value },
});

function syntaxError(source: string): PolicySyntaxError {
  try {
    parsePolicy(source);
  } catch (error) {
    if (error instanceof PolicySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

describe(parsePolicy.name, () => {
  describe('structure', () => {
    it('should parse seed 000 §2 target into a flat AND of comparisons', () => {
      expect(parsePolicy('type = "amr" AND model = "X1" AND revision >= "r3"')).toEqual({
        kind: 'and',
        operands: [
          eq('type', 'amr'),
          eq('model', 'X1'),
          { kind: 'comparison', attribute: 'revision', operator: '>=', value: { kind: 'string', value: 'r3' } },
        ],
      });
    });

    it('should bind NOT tighter than AND and AND tighter than OR', () => {
      expect(parsePolicy('NOT type = "a" AND model = "b" OR serial = "c"')).toEqual({
        kind: 'or',
        operands: [
          { kind: 'and', operands: [{ kind: 'not', operand: eq('type', 'a') }, eq('model', 'b')] },
          eq('serial', 'c'),
        ],
      });
    });

    it('should let parentheses override precedence', () => {
      expect(parsePolicy('type = "a" AND (model = "b" OR serial = "c")')).toEqual({
        kind: 'and',
        operands: [eq('type', 'a'), { kind: 'or', operands: [eq('model', 'b'), eq('serial', 'c')] }],
      });
    });

    it('should parse IN and NOT IN lists with strings and numbers', () => {
      expect(parsePolicy('revision NOT IN ("r1", 2) AND capabilities IN ("navigation")')).toEqual({
        kind: 'and',
        operands: [
          {
            kind: 'membership',
            attribute: 'revision',
            negated: true,
            values: [
              { kind: 'string', value: 'r1' },
              { kind: 'number', value: '2' },
            ],
          },
          {
            kind: 'membership',
            attribute: 'capabilities',
            negated: false,
            values: [{ kind: 'string', value: 'navigation' }],
          },
        ],
      });
    });

    it.each([
      ['"a \\"quoted\\" b"', 'a "quoted" b'],
      ['"back\\\\slash"', 'back\\slash'],
      ['"multi\nline"', 'multi\nline'],
      ['""', ''],
    ])('should unescape the string %s', (literal, value) => {
      expect(parsePolicy(`serial = ${literal}`)).toEqual(eq('serial', value));
    });

    it.each(['3', '3.10', '007'])('should keep the spelling of the number %s', (number) => {
      expect(parsePolicy(`firmware_version >= ${number}`)).toEqual({
        kind: 'comparison',
        attribute: 'firmware_version',
        operator: '>=',
        value: { kind: 'number', value: number },
      });
    });

    it.each([
      ['type = "a" and model = "b" Or not serial = "c"', 'type = "a" AND model = "b" OR NOT serial = "c"'],
      ['revision not in ("r1")', 'revision NOT IN ("r1")'],
      ['firmwareVersion >= "3.10"', 'firmware_version >= "3.10"'],
      ['TYPE = "amr"', 'type = "amr"'],
      ['((type = "a"))', 'type = "a"'],
      ['(type = "a" AND model = "b") AND serial = "c"', 'type = "a" AND model = "b" AND serial = "c"'],
      ['type="a"AND\n\tmodel!="b"', 'type = "a" AND model != "b"'],
    ])('should read %j as %j (keywords and attributes are case-insensitive)', (source, canonical) => {
      expect(describeExpression(parsePolicy(source))).toBe(canonical);
    });

    it.each(['=', '!=', '<', '<=', '>', '>='])('should accept %s on an ordered attribute', (operator) => {
      expect(parsePolicy(`revision ${operator} "r3"`)).toMatchObject({ operator });
    });

    it('should accept 32 nested levels and 500 list values', () => {
      expect(() => parsePolicy(`${'('.repeat(16)}${'NOT '.repeat(16)}type = "a"${')'.repeat(16)}`)).not.toThrow();
      const values = Array.from({ length: 500 }, (_, index) => `"v${index}"`).join(',');
      expect(parsePolicy(`serial IN (${values})`)).toMatchObject({ kind: 'membership' });
    });

    it('should accept an expression of exactly 4,000 characters', () => {
      const source = `serial = "${'x'.repeat(4000 - 11)}"`;
      expect(source).toHaveLength(4000);
      expect(() => parsePolicy(source)).not.toThrow();
    });
  });

  describe('errors', () => {
    const deepParens = `${'('.repeat(33)}type = "a"${')'.repeat(33)}`;
    const deepNots = `${'NOT '.repeat(33)}type = "a"`;
    const longList = `serial IN (${Array.from({ length: 501 }, () => '"v"').join(', ')})`;

    it.each([
      // source, reason, position, expected, found
      ['type = "amr" AND model "X1"', 'unexpected_token', 23, 'a comparison operator', '"X1"'],
      ['type = "amr" AND', 'unexpected_token', 16, 'an attribute, NOT or "("', 'end of input'],
      ['type = amr', 'unexpected_token', 7, 'a quoted value', 'amr'],
      ["type = 'amr'", 'unexpected_token', 7, 'a quoted value', "'"],
      ['type =', 'unexpected_token', 6, 'a quoted value', 'end of input'],
      ['type = "amr', 'unterminated_string', 11, 'a closing quote', 'end of input'],
      ['serial = "a\\nb"', 'invalid_escape', 11, 'an escape sequence (\\" or \\\\)', '\\n'],
      ['serial = "a\\', 'invalid_escape', 11, 'an escape sequence (\\" or \\\\)', 'end of input'],
      ['colour = "red"', 'unknown_attribute', 0, 'a known attribute', 'colour'],
      ['type = "a" AND firmware = "1"', 'unknown_attribute', 15, 'a known attribute', 'firmware'],
      ['type = "a" model = "b"', 'unexpected_token', 11, 'AND, OR or end of input', 'model'],
      ['type = "a")', 'unexpected_token', 10, 'AND, OR or end of input', ')'],
      ['(type = "a"', 'unexpected_token', 11, 'AND, OR or ")"', 'end of input'],
      ['', 'empty', 0, 'an expression', 'end of input'],
      ['   \n ', 'empty', 5, 'an expression', 'end of input'],
      ['AND = "a"', 'unexpected_token', 0, 'an attribute, NOT or "("', 'AND'],
      ['type IN "a"', 'unexpected_token', 8, '"("', '"a"'],
      ['type IN ()', 'unexpected_token', 9, 'a quoted value', ')'],
      ['type IN ("a" "b")', 'unexpected_token', 13, '"," or ")"', '"b"'],
      ['type NOT = "a"', 'unexpected_token', 9, 'IN', '='],
      ['capabilities >= "lidar"', 'operator_not_allowed', 13, '=, !=, IN or NOT IN for capabilities', '>='],
      ['model < "X2"', 'operator_not_allowed', 6, '=, !=, IN or NOT IN for model', '<'],
      ['revision <> "a"', 'unexpected_token', 10, 'a quoted value', '>'],
      ['type = "a" @', 'unexpected_token', 11, 'AND, OR or end of input', '@'],
      ['firmware_version >= 3.', 'unexpected_token', 21, 'AND, OR or end of input', '.'],
      [deepParens, 'too_deep', 32, 'at most 32 nested levels', '('],
      [deepNots, 'too_deep', 128, 'at most 32 nested levels', 'NOT'],
      [longList, 'too_many_values', 11 + 500 * 5, 'at most 500 values in a list', '"v"'],
      ['x'.repeat(4001), 'too_long', 4000, 'at most 4000 characters', '4001 characters'],
    ])('should reject %j (%s at %i)', (source, reason, position, expected, found) => {
      const error = syntaxError(source);
      expect(error).toMatchObject({ reason, position, expected, found, code: 'TARGETING.POLICY_SYNTAX' });
      expect(error.message).toBe(`expected ${expected} at ${error.line}:${error.column}, found ${found}`);
    });

    it.each([
      ['type = "a" AND\n  model "X1"', 23, 2, 9],
      ['type = "a"\nAND\nmodel = "b" extra', 27, 3, 13],
      ['(\n\n', 3, 3, 1],
    ])('should locate %j at offset %i, line %i, column %i', (source, position, line, column) => {
      expect(syntaxError(source)).toMatchObject({ position, line, column });
    });

    it('should shorten a long token in found', () => {
      const error = syntaxError(`type = "a" ${'x'.repeat(100)}`);
      expect(error.found).toBe(`${'x'.repeat(40)}…`);
    });

    it('should give callers the DomainError details', () => {
      const error = syntaxError('type = "amr" AND model "X1"');
      const details = { position: 23, line: 1, column: 24, expected: 'a comparison operator', found: '"X1"' };
      // DomainError's details are a Record<string, unknown>: this must compile.
      const asDomainDetails: Record<string, unknown> = toErrorDetails(error);
      expect(asDomainDetails).toEqual(details);
      expect(error).toMatchObject({ kind: 'invalid_input', details });
      expect(error.message).toBe('expected a comparison operator at 1:24, found "X1"');
    });
  });

  it('should round-trip through describeExpression', () => {
    const sources = [
      'NOT (type = "a" OR model = "b") AND NOT NOT serial IN ("x", "y\\"z")',
      '(type = "a" OR model = "b") AND (serial = "c" OR revision >= 3.10)',
      'capabilities NOT IN ("lidar") OR org = "o" AND account != "a"',
    ];
    for (const source of sources) {
      const ast: PolicyExpression = parsePolicy(source);
      expect(parsePolicy(describeExpression(ast))).toEqual(ast);
    }
  });
});
