import { randomUUID } from 'node:crypto';
import {
  DEFAULT_CLAIM_TIMEOUT_MS,
  DEFAULT_RETENTION_MS,
  type Claim,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
  type StoredResponse,
} from './idempotency-store.js';

interface IdempotencyRecord {
  readonly requestHash: string;
  readonly token: string | null;
  readonly response: StoredResponse | null;
  readonly claimedAt: number;
  /** When this request first claimed the key; kept when the claim is taken over. */
  readonly startedAt: number;
  readonly expiresAt: number;
}

/** For tests and the embedded mode: records live as long as the process. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly retentionMs: number;
  private readonly claimTimeoutMs: number;

  constructor(
    options: IdempotencyStoreOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.claimTimeoutMs = options.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS;
  }

  claim(scope: string, key: string, requestHash: string): Promise<Claim> {
    const id = recordId(scope, key);
    const now = this.now();
    const existing = this.records.get(id);
    const expired = existing === undefined || existing.expiresAt <= now;
    const released = existing?.response === null && existing.token === null;
    const resumable =
      !expired &&
      existing.response === null &&
      existing.requestHash === requestHash &&
      (released || existing.claimedAt + this.claimTimeoutMs <= now);
    if (expired || resumable || released) {
      const token = randomUUID();
      const startedAt = resumable ? existing.startedAt : now;
      // Re-inserted at the end, so the map stays in expiry order for purgeExpired.
      this.records.delete(id);
      this.records.set(id, {
        requestHash,
        token,
        response: null,
        claimedAt: now,
        startedAt,
        expiresAt: now + this.retentionMs,
      });
      return Promise.resolve({ outcome: 'claimed', token, startedAt, resumed: resumable });
    }
    return Promise.resolve(
      existing.response === null
        ? { outcome: 'in_progress', requestHash: existing.requestHash }
        : { outcome: 'completed', requestHash: existing.requestHash, response: existing.response },
    );
  }

  complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void> {
    const id = recordId(scope, key);
    const existing = this.records.get(id);
    if (existing?.token === token) {
      this.records.set(id, { ...existing, token: null, response: structuredClone(response) });
    }
    return Promise.resolve();
  }

  release(scope: string, key: string, token: string): Promise<void> {
    const id = recordId(scope, key);
    const existing = this.records.get(id);
    // Kept, with no owner: the same request resumes it, another starts afresh.
    if (existing?.token === token && existing.response === null)
      this.records.set(id, { ...existing, token: null });
    return Promise.resolve();
  }

  purgeExpired(): Promise<number> {
    const now = this.now();
    let purged = 0;
    for (const [id, record] of this.records) {
      if (record.expiresAt > now) break;
      this.records.delete(id);
      purged += 1;
    }
    return Promise.resolve(purged);
  }
}

function recordId(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}
