import type { z } from 'zod';

/** A configuration variable is missing or malformed: the process must not start. */
export class InvalidConfigurationError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

/**
 * Parses the environment once, at boot, into a frozen typed object. Services receive the result
 * through DI and never read `process.env` themselves (STYLE.md §8).
 */
export function loadConfig<TSchema extends z.ZodType<Record<string, unknown>>>(
  schema: TSchema,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<TSchema>> {
  // Empty strings mean "unset" for optional variables, as in shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new InvalidConfigurationError(
      result.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(root)', message: issue.message })),
    );
  }
  return Object.freeze(result.data);
}
