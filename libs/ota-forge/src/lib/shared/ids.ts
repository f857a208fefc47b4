import { z } from 'zod';

/** A numeric id as hawkBit has them (Long), in a path or a body. */
export const numericIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A controller id (the platform's device_id) as it may appear in a DDI path. */
export const controllerIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:~-]+$/, 'letters, digits and . _ : ~ - only');
