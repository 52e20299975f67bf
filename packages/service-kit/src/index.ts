// The app
export {
  createServiceApp,
  DEFAULT_BODY_LIMIT,
  type ServiceApp,
  type ServiceAppOptions,
} from './app/create-service-app.js';
export { listen, type ListenOptions } from './app/listen.js';
export { everyWhileListening } from './app/while-listening.js';
export {
  DEFAULT_CHECK_TIMEOUT_MS,
  runChecks,
  type CheckResult,
  type Readiness,
  type ReadinessCheck,
} from './app/health.js';
export type { RateLimitOptions } from './app/rate-limit.js';

// Configuration
export {
  ConfigError,
  configOrExit,
  describeConfig,
  loadConfig,
  type ConfigProblem,
  type ConfigSchema,
  type Env,
} from './config/config.js';
export {
  authenticatorFromConfig,
  baseConfigSchema,
  organisationIdList,
  metricsCredentialFromConfig,
  type BaseConfig,
} from './config/base-config.js';

// Errors
export {
  HttpProblem,
  PROBLEMS,
  problemType,
  type FieldError,
  type ProblemCode,
  type ProblemExtras,
} from './errors.js';
export { PROBLEM_CONTENT_TYPE, problemSchema, type Problem } from './problems/problem.js';

// Authentication and access
export {
  ACCEPTED_ALGORITHMS,
  createAuthenticator,
  type Authenticator,
  type KeySource,
  type Principal,
  type TokenRules,
} from './auth/authenticator.js';
export {
  PUBLIC_ACCESS,
  principalOf,
  routeAccess,
  type RouteAccess,
  type RouteAccessEntry,
} from './auth/access.js';
export { scopedToOrganisations, type OrganisationScope } from './auth/organisations.js';
export {
  generateSigningKeyPair,
  mintToken,
  type SigningKeyPair,
  type TokenRequest,
} from './auth/signing-keys.js';

// HTTP conventions
export { ifMatchHeader, parseIfMatch, revisionEtag, setRevision } from './http/revision.js';
export {
  IDEMPOTENCY_KEY_HEADER,
  REPLAYED_HEADER,
  idempotencyKeyHeader,
  idempotencyKeyOf,
  idempotent,
} from './idempotency/idempotent.js';
export type {
  Claim,
  IdempotencyStore,
  IdempotencyStoreOptions,
  JsonValue,
  StoredResponse,
} from './idempotency/idempotency-store.js';
export { MemoryIdempotencyStore } from './idempotency/memory-idempotency-store.js';
export {
  currentOperation,
  operationId,
  operationNewId,
  runOperation,
  type Operation,
} from './idempotency/operation.js';
export { resumableStore } from './idempotency/resumable-store.js';
export {
  PostgresIdempotencyStore,
  type PostgresIdempotencyStoreOptions,
  type SqlClient,
} from './idempotency/postgres-idempotency-store.js';

// Exports (CSV files, HTML pages)
export { csvCell, csvDocument, csvRow } from './export/csv.js';
export { escapeHtml } from './export/html.js';

// Observability
export { serviceMetrics, type ServiceMetrics } from './observability/metrics.js';
export { startTracing, type StopTracing, type TracingOptions } from './observability/tracing.js';
export { spanOf, traceparentOf } from './observability/request-span.js';
export { PERSONAL_FIELD_NAMES } from './logging/redaction.js';
export type { LoggerSetting } from './logging/logger.js';

// Command routes
export {
  appendedEventIds,
  commandAnswer,
  commandContext,
  result,
  runIdempotently,
  send,
  type HttpResult,
} from './http/command-http.js';
export { journeyViewAnswer } from './http/journey-view-answer.js';
export { accessRecordOf, recordAccess, type AccessRecord } from './http/access-records.js';
export { cursorPart, decodeCursor, encodeCursor } from './http/keyset-cursor.js';
export {
  correctionRoutes,
  type CorrectionCommand,
  type CorrectionRoutesOptions,
} from './http/correction-routes.js';

// Journey commands and reads
export {
  journeyCommands,
  type JourneyCommands,
  type JourneyCommandsOptions,
  type JourneyGatePort,
  type JourneyRead,
  type JourneyScene,
} from './journey/journey-commands.js';
