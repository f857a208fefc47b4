import { parseRange } from './byte-range.js';

describe('parseRange (RFC 7233)', () => {
  it.each([
    { header: undefined, result: { kind: 'full' } },
    { header: 'bytes=0-99', result: { kind: 'partial', range: { start: 0, end: 99 } } },
    { header: 'bytes=500-', result: { kind: 'partial', range: { start: 500, end: 999 } } },
    { header: 'bytes=-100', result: { kind: 'partial', range: { start: 900, end: 999 } } },
    { header: 'bytes=900-5000', result: { kind: 'partial', range: { start: 900, end: 999 } } },
    { header: 'bytes=1000-', result: { kind: 'unsatisfiable' } },
    { header: 'bytes=5-4', result: { kind: 'unsatisfiable' } },
    { header: 'bytes=-0', result: { kind: 'unsatisfiable' } },
    { header: 'bytes=0-1,5-6', result: { kind: 'full' } },
    { header: 'items=0-1', result: { kind: 'full' } },
  ])('should read $header of a 1000-byte body as $result.kind', ({ header, result }) => {
    expect(parseRange(header, 1000)).toEqual(result);
  });
});
