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

type Sections = Record<string, z.ZodType<Record<string, unknown>>>;

/**
 * Parses several config sections from one environment and reports every bad variable of every
 * section at once, so one failed start shows all that must be fixed.
 */
export function loadConfigSections<TSections extends Sections>(
  sections: TSections,
  env: Record<string, string | undefined> = process.env,
): { readonly [K in keyof TSections]: Readonly<z.output<TSections[K]>> } {
  const problems: { variable: string; message: string }[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(sections)) {
    try {
      result[name] = loadConfig(schema, env);
    } catch (error) {
      if (!(error instanceof InvalidConfigurationError)) throw error;
      for (const problem of error.problems) {
        if (!problems.some((known) => known.variable === problem.variable)) problems.push(problem);
      }
    }
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return Object.freeze(result) as { readonly [K in keyof TSections]: Readonly<z.output<TSections[K]>> };
}
