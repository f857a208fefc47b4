import { PolicySyntaxError } from './errors.js';

export type TokenKind = 'word' | 'keyword' | 'string' | 'number' | 'operator' | '(' | ')' | ',' | 'invalid' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (empty at the end of input). */
  readonly text: string;
  /** Strings: the unescaped value; keywords: upper-cased; otherwise the text. */
  readonly value: string;
  readonly start: number;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN']);
const OPERATORS = ['<=', '>=', '!=', '=', '<', '>'];
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?/y;
const WHITESPACE = /[ \t\r\n]*/y;

/**
 * Splits a targeting expression into tokens, one at a time as the parser asks, so the first error
 * in reading order is the one reported. A character that starts no token becomes an `invalid`
 * token: the parser reports it with what it expected there.
 */
export class Lexer {
  private position = 0;

  constructor(private readonly source: string) {}

  next(): Token {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.exec(this.source);
    const start = WHITESPACE.lastIndex;
    const char = this.source[start];
    if (char === undefined) return this.token('end', start, start);
    if (char === '"') return this.string(start);
    if (char === '(' || char === ')' || char === ',') return this.token(char, start, start + 1);
    const operator = OPERATORS.find((candidate) => this.source.startsWith(candidate, start));
    if (operator) return this.token('operator', start, start + operator.length);
    const number = this.match(NUMBER, start);
    if (number) return this.token('number', start, start + number.length);
    const word = this.match(WORD, start);
    if (word) return this.token(KEYWORDS.has(word.toUpperCase()) ? 'keyword' : 'word', start, start + word.length);
    const width = (this.source.codePointAt(start) ?? 0) > 0xffff ? 2 : 1;
    return this.token('invalid', start, start + width);
  }

  private match(pattern: RegExp, start: number): string | undefined {
    pattern.lastIndex = start;
    return pattern.exec(this.source)?.[0];
  }

  private token(kind: TokenKind, start: number, end: number, value?: string): Token {
    this.position = end;
    const text = this.source.slice(start, end);
    return { kind, text, value: value ?? (kind === 'keyword' ? text.toUpperCase() : text), start };
  }

  private string(start: number): Token {
    let value = '';
    let index = start + 1;
    for (;;) {
      const char = this.source[index];
      if (char === undefined) {
        throw new PolicySyntaxError(this.source, 'unterminated_string', index, 'a closing quote', 'end of input');
      }
      if (char === '"') return this.token('string', start, index + 1, value);
      if (char === '\\') {
        const escaped = this.source[index + 1];
        if (escaped !== '"' && escaped !== '\\') {
          const found = escaped === undefined ? 'end of input' : `\\${escaped}`;
          throw new PolicySyntaxError(this.source, 'invalid_escape', index, 'an escape sequence (\\" or \\\\)', found);
        }
        value += escaped;
        index += 2;
      } else {
        value += char;
        index += 1;
      }
    }
  }
}
