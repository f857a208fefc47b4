import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `prisma/migrations` at the repository root, wherever the process was started from. */
export const MIGRATIONS_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), '../../../../prisma/migrations');
