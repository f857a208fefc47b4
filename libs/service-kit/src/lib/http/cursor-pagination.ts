import { z } from 'zod';

/** The largest page a list endpoint returns; a client wanting more follows `nextCursor`. */
export const MAX_PAGE_SIZE = 200;

export interface PageRequest {
  /** Key of the last item of the previous page (exclusive), or null for the first page. */
  after: string | null;
  limit: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A page of an endpoint that also counts every item matching the query, across all pages. */
export interface CountedPage<T> extends Page<T> {
  total: number;
}

// Opaque to clients, so the ordering key can change without breaking them.
function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey }), 'utf8').toString('base64url');
}

const cursorPayloadSchema = z.object({ after: z.string().min(1).max(256) });

function decodeCursor(cursor: string): string | null {
  try {
    const parsed = cursorPayloadSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.after : null;
  } catch {
    return null;
  }
}

/** `?cursor=…&limit=…`, parsed into a PageRequest (a forged cursor is a 400 on `query.cursor`). */
export const pageQueryShape = {
  cursor: z
    .string()
    .max(512)
    .optional()
    .transform((cursor, context) => {
      if (cursor === undefined) return null;
      const after = decodeCursor(cursor);
      if (after === null) {
        context.addIssue({ code: 'custom', message: 'not a cursor returned by this endpoint' });
        return z.NEVER;
      }
      return after;
    }),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
};

export function toPageRequest(query: { cursor: string | null; limit: number }): PageRequest {
  return { after: query.cursor, limit: query.limit };
}

/**
 * Builds a page from `limit + 1` rows fetched in key order: the extra row only says "there is
 * more", so no second query is needed to know whether to hand out a cursor.
 */
export function pageOf<T>(rows: T[], limit: number, keyOf: (item: T) => string): Page<T>;
export function pageOf<T>(rows: T[], limit: number, keyOf: (item: T) => string, total: number): CountedPage<T>;
export function pageOf<T>(
  rows: T[],
  limit: number,
  keyOf: (item: T) => string,
  total?: number,
): Page<T> | CountedPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null;
  return total === undefined ? { items, nextCursor } : { items, total, nextCursor };
}

/** The response envelope of a page, given the schema of one item. */
export function pageResponseSchema<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

/** The envelope of a page of an endpoint that also counts every match. */
export function countedPageResponseSchema<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() }).meta({ id });
}
