// A subpath of its own, so that a process on PostgreSQL never loads better-sqlite3.
export { SqliteIdempotencyStore } from '../idempotency/sqlite-idempotency-store.js';
