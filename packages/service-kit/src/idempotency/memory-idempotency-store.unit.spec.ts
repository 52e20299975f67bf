import { idempotencyStoreContract, resumableClaimContract } from './idempotency-store-contract.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';

idempotencyStoreContract('MemoryIdempotencyStore', (options) =>
  Promise.resolve(new MemoryIdempotencyStore(options)),
);
resumableClaimContract('MemoryIdempotencyStore', (options) =>
  Promise.resolve(new MemoryIdempotencyStore(options)),
);
