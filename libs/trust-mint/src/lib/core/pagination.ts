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

/** `?cursor=…&limit=…` (a forged cursor is a 400 on `query.cursor`). */
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

/** A page from `limit + 1` rows fetched in key order: the extra row only says "there is more". */
export function pageOf<T>(rows: T[], limit: number, keyOf: (item: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

export function pageResponseSchema<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}
