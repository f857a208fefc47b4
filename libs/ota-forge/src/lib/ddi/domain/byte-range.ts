/** One satisfiable byte range, inclusive (RFC 7233). */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeRequest = { kind: 'full' } | { kind: 'partial'; range: ByteRange } | { kind: 'unsatisfiable' };

/**
 * Reads a Range header for a body of `size` bytes. One range (`a-b`, `a-`, `-n`) is served as
 * 206; several ranges are answered with the whole body (RFC 7233 lets a server ignore Range), as
 * is a header that is not a byte range at all.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'full' };
  const match = /^bytes=\s*(.+)$/i.exec(header.trim());
  if (!match) return { kind: 'full' };
  const specs = match[1]!.split(',').map((spec) => spec.trim());
  if (specs.length !== 1) return { kind: 'full' };
  const single = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!single || (single[1] === '' && single[2] === '')) return { kind: 'full' };
  if (single[1] === '') {
    const suffix = Number(single[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(single[1]);
  const end = single[2] === '' ? size - 1 : Math.min(Number(single[2]), size - 1);
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', range: { start, end } };
}
