import './provided.js';

export { createTestDatabase, type TestDatabase } from './databases.js';
export { REQUIRE_SERVICES, dockerAnswers, findPostgres, type PostgresService } from './services.js';
export type { ProvidedServices } from './provided.js';
