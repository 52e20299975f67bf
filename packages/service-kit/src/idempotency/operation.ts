import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * One run of an idempotent request: the ids it makes are derived from the request (its scope,
 * key and fingerprint) and from when it was first claimed, so that running it again after its
 * runner died makes the same ids, and appends of the same event ids are replays the store
 * recognises (nothing written, the first result returned).
 */
export interface Operation {
  /** Identifies the request: the same scope, key and fingerprint give the same seed. */
  readonly seed: string;
  /** When the request was first claimed (ms since the epoch): the time part of its ids. */
  readonly startedAt: number;
  /** True when an earlier run of this request may have appended already (it died or failed). */
  readonly resumed: boolean;
}

interface RunningOperation extends Operation {
  made: number;
  own?: ReadonlySet<string>;
}

/** How many ids of one operation `isOwnId` recognises: far more than a command makes. */
const RECOGNISED_IDS = 256;

/**
 * The request being run by `idempotent()`, per async context: the ids and the store a service
 * was given (`operationNewId`, `resumableStore`) read it, so that no route needs to pass it on.
 */
const current = new AsyncLocalStorage<RunningOperation>();

export function operationSeed(scope: string, key: string, requestHash: string): string {
  return createHash('sha256').update(`${scope}\n${key}\n${requestHash}`).digest('hex');
}

/** Runs `work` as `operation`: inside it, `operationNewId` and `resumableStore` follow it. */
export function runOperation<T>(operation: Operation, work: () => Promise<T>): Promise<T> {
  return current.run({ ...operation, made: 0 }, work);
}

/** The operation this async context runs in, if any. */
export function currentOperation(): Operation | undefined {
  return current.getStore();
}

/** The `index`th id of an operation: a UUIDv7 whose time is `startedAt` and whose rest is a hash. */
export function operationId(operation: Operation, index: number): string {
  const bytes = createHash('sha256')
    .update(`${operation.seed}:${String(index)}`)
    .digest();
  let time = Math.max(0, Math.floor(operation.startedAt));
  for (let at = 5; at >= 0; at -= 1) {
    bytes[at] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A service's id maker: inside an idempotent request, the operation's ids in order (entity ids
 * and event ids alike, so a retry creates what the first run created); elsewhere `fallback`.
 */
export function operationNewId(fallback: () => string): () => string {
  return () => {
    const running = current.getStore();
    if (!running) return fallback();
    const id = operationId(running, running.made);
    running.made += 1;
    return id;
  };
}

/** Whether `id` is one the running operation makes (false outside one). */
export function isOwnId(id: string): boolean {
  const running = current.getStore();
  if (!running) return false;
  running.own ??= new Set(
    Array.from({ length: RECOGNISED_IDS }, (_, i) => operationId(running, i)),
  );
  return running.own.has(id);
}
