import './provided.js';

export { createTestDatabase, type TestDatabase } from './databases.js';
export { REQUIRE_SERVICES, dockerAnswers, findPostgres, type PostgresService } from './services.js';
export {
  findKafka,
  parseMockBootstrap,
  startKcatMockCluster,
  waitUntilKafkaProduces,
  type KafkaService,
} from './kafka.js';
export { KafkaProxy } from './kafka-proxy.js';
export type { ProvidedServices } from './provided.js';
export {
  UNRESERVED_CONNECTIONS,
  connectionBudget,
  reserveConnections,
  type ConnectionBudget,
  type Reservation,
} from './connection-budget.js';
