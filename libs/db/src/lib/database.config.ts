import { z } from 'zod';

/** Where the data lives: PostgreSQL when DATABASE_URL is set, otherwise an embedded PGlite folder. */
export const databaseConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
});

export type DatabaseConfig = z.output<typeof databaseConfigSchema>;

/** `memory://` keeps PGlite entirely in memory (tests); anything else is a folder. */
export const IN_MEMORY_PGLITE = 'memory://';
