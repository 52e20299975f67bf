/**
 * One step of a schema: applied once, in version order, and recorded, so that a database made by
 * any earlier release is brought up to date on start-up and a current one is left alone. Steps are
 * never edited once released; a change is a new step with the next version.
 */
export interface Migration {
  /** A positive integer; steps apply in increasing order. */
  readonly version: number;
  /** What the step creates or changes, recorded with it. */
  readonly name: string;
  /** One or more statements without parameters. */
  readonly sql: string;
}

/** The steps in version order; refuses duplicate, unordered or non-integer versions. */
export function inVersionOrder(migrations: readonly Migration[]): readonly Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    const previous = sorted[index - 1];
    if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
      throw new Error(
        `migration ${JSON.stringify(migration.name)}: version must be an integer >= 1`,
      );
    }
    if (previous && previous.version === migration.version) {
      throw new Error(`two migrations have version ${String(migration.version)}`);
    }
  });
  return sorted;
}
