import type {} from 'vitest';
/** What the global setup hands to every test file through vitest's provide/inject. */
export interface ProvidedServices {
  /** Superuser URL of a PostgreSQL server, or null when none was found (the reason was printed). */
  readonly postgresAdminUrl: string | null;
  /** Bootstrap brokers of a Kafka cluster (topics auto-created), or null when none was found. */
  readonly kafkaBrokers: string[] | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: ProvidedServices;
  }
}
