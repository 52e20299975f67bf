import type { z } from 'zod';

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A flat object of environment keys, each documented with `.describe()` where it is declared. */
export type ConfigSchema = z.ZodObject;

export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
  /** The key's documentation, so the operator sees what the key is for without opening the code. */
  readonly description: string;
}

/** The configuration is unusable. The message lists every bad key; it never quotes a value. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [
        `Invalid configuration (${String(problems.length)} ${problems.length === 1 ? 'key' : 'keys'}):`,
        ...problems.map(
          (problem) => `  - ${problem.key}: ${problem.message}\n      ${problem.description}`,
        ),
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function descriptionOf(schema: ConfigSchema, key: string): string | undefined {
  return (schema.shape[key] as z.ZodType | undefined)?.description;
}

/** A key nobody documented is a programming error, found at the first start. */
function assertDocumented(schema: ConfigSchema): void {
  const undocumented = Object.keys(schema.shape).filter(
    (key) => (descriptionOf(schema, key) ?? '') === '',
  );
  if (undocumented.length > 0) {
    throw new Error(
      `Config keys without .describe(): ${undocumented.join(', ')} (describe them where they are declared, after .default())`,
    );
  }
}

/** Only the schema's keys are read; an empty value counts as unset, as shells and compose files mean it. */
function relevantEnv(schema: ConfigSchema, env: Env): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  return picked;
}

/** Validates the environment against the schema; throws a ConfigError naming every bad key. */
export function loadConfig<Schema extends ConfigSchema>(
  schema: Schema,
  env: Env = process.env,
): z.output<Schema> {
  assertDocumented(schema);
  const result = schema.safeParse(relevantEnv(schema, env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : '(configuration)';
    return { key, message: issue.message, description: descriptionOf(schema, key) ?? '' };
  });
  throw new ConfigError(problems);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The documented keys as a Markdown table: key, required, default, description. */
export function describeConfig(schema: ConfigSchema): string {
  assertDocumented(schema);
  const rows = Object.entries(schema.shape).map(([key, field]) => {
    const unset = (field as z.ZodType).safeParse(undefined);
    const required = unset.success ? 'no' : 'yes';
    const fallback: unknown = unset.success ? unset.data : undefined;
    const text = typeof fallback === 'string' ? fallback : JSON.stringify(fallback);
    const shown = fallback === undefined ? '' : `\`${cell(text)}\``;
    return `| \`${key}\` | ${required} | ${shown} | ${cell(descriptionOf(schema, key) ?? '')} |`;
  });
  return ['| Key | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

/**
 * For main.ts only: the configuration, or a readable list of what is wrong on stderr and exit
 * code 1. A service that cannot be configured must not half-start.
 */
export function configOrExit<Schema extends ConfigSchema>(
  schema: Schema,
  env: Env = process.env,
): z.output<Schema> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(1);
  }
}
