export { testAuth, type TestAuth, type TokenFor } from './test-auth.js';
export { http, RequestBuilder, type HttpResponse } from './http.js';
export {
  expectCommandRoutesSurviveFuzzing,
  expectDeclaredAccessEnforced,
  type FuzzSpecOptions,
  type RouteAccessSpecOptions,
} from './route-specs.js';
export {
  idempotencyStoreContract,
  resumableClaimContract,
} from '../idempotency/idempotency-store-contract.js';
export { expectDecidersRefuseCleanly, type DeciderFuzzOptions } from './decider-fuzz.js';
export {
  arbitraryOf,
  bodySchemaOf,
  resolverOf,
  type JsonSchema,
  type OpenApiDocument,
  type SchemaArbitraryOptions,
} from './schema-arbitrary.js';
