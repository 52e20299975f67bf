import type {} from 'vitest';
/** What the global setup hands to every test file through vitest's provide/inject. */
export interface ProvidedServices {
  /** Superuser URL of a PostgreSQL server, or null when none was found (the reason was printed). */
  readonly postgresAdminUrl: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: ProvidedServices;
  }
}
