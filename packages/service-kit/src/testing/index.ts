export { testAuth, type TestAuth, type TokenFor } from './test-auth.js';
export { http, RequestBuilder, type HttpResponse } from './http.js';
export {
  expectCommandRoutesSurviveFuzzing,
  expectDeclaredAccessEnforced,
  type FuzzSpecOptions,
  type RouteAccessSpecOptions,
} from './route-specs.js';
export { idempotencyStoreContract } from '../idempotency/idempotency-store-contract.js';
