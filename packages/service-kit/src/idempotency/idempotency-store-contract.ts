import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  IdempotencyStore,
  IdempotencyStoreOptions,
  StoredResponse,
} from './idempotency-store.js';

/**
 * What every IdempotencyStore adapter does, run against each of them (memory in the unit tier,
 * PostgreSQL in the int tier). Expiry is tested with zero durations, not by waiting.
 */
export function idempotencyStoreContract(
  name: string,
  open: (options?: IdempotencyStoreOptions) => Promise<IdempotencyStore>,
): void {
  const response: StoredResponse = {
    status: 201,
    headers: { etag: '"4"', location: '/journeys/j-1/admissions/1' },
    body: { journeyId: 'j-1', revision: 4, nested: { zeta: 1, alpha: [true, null, 'x'] } },
  };
  const fresh = () => ({
    scope: `user-${randomUUID()} POST /journeys/:journeyId/admissions`,
    key: randomUUID(),
  });

  describe(`${name}: the IdempotencyStore contract`, () => {
    describe('a key nobody used', () => {
      it('is claimed by the first request', async () => {
        const store = await open();
        const { scope, key } = fresh();
        const claim = await store.claim(scope, key, 'hash-a');
        expect(claim.outcome).toBe('claimed');
      });

      it('is claimed by only one of many concurrent requests', async () => {
        const store = await open();
        const { scope, key } = fresh();
        const claims = await Promise.all(
          Array.from({ length: 10 }, () => store.claim(scope, key, 'hash-a')),
        );
        expect(claims.filter((claim) => claim.outcome === 'claimed')).toHaveLength(1);
        expect(claims.filter((claim) => claim.outcome === 'in_progress')).toHaveLength(9);
      });
    });

    describe('a key in flight', () => {
      it('is in progress for a retry, with the hash of the first request', async () => {
        const store = await open();
        const { scope, key } = fresh();
        await store.claim(scope, key, 'hash-a');
        await expect(store.claim(scope, key, 'hash-b')).resolves.toEqual({
          outcome: 'in_progress',
          requestHash: 'hash-a',
        });
      });

      it('is free again once released', async () => {
        const store = await open();
        const { scope, key } = fresh();
        const first = await store.claim(scope, key, 'hash-a');
        if (first.outcome !== 'claimed') throw new Error('not claimed');
        await store.release(scope, key, first.token);
        expect((await store.claim(scope, key, 'hash-a')).outcome).toBe('claimed');
      });

      it('is not completed or released with another token', async () => {
        const store = await open();
        const { scope, key } = fresh();
        await store.claim(scope, key, 'hash-a');
        await store.complete(scope, key, randomUUID(), response);
        await store.release(scope, key, randomUUID());
        expect((await store.claim(scope, key, 'hash-a')).outcome).toBe('in_progress');
      });

      it('is taken over by the same request once the claim timed out, not by another one', async () => {
        const store = await open({ claimTimeoutMs: 0 });
        const { scope, key } = fresh();
        const abandoned = await store.claim(scope, key, 'hash-a');
        if (abandoned.outcome !== 'claimed') throw new Error('not claimed');
        expect((await store.claim(scope, key, 'hash-b')).outcome).toBe('in_progress');
        const takeover = await store.claim(scope, key, 'hash-a');
        expect(takeover.outcome).toBe('claimed');
        // The first runner lost the key: its late answer is not stored.
        await store.complete(scope, key, abandoned.token, response);
        expect((await store.claim(scope, key, 'hash-b')).outcome).toBe('in_progress');
      });
    });

    describe('a completed key', () => {
      it('replays the stored response exactly, key order included', async () => {
        const store = await open();
        const { scope, key } = fresh();
        const claim = await store.claim(scope, key, 'hash-a');
        if (claim.outcome !== 'claimed') throw new Error('not claimed');
        await store.complete(scope, key, claim.token, response);
        const replay = await store.claim(scope, key, 'hash-a');
        expect(replay).toEqual({ outcome: 'completed', requestHash: 'hash-a', response });
        if (replay.outcome !== 'completed') throw new Error('not completed');
        expect(JSON.stringify(replay.response.body)).toBe(JSON.stringify(response.body));
      });

      it('is separate per scope', async () => {
        const store = await open();
        const { scope, key } = fresh();
        const claim = await store.claim(scope, key, 'hash-a');
        if (claim.outcome !== 'claimed') throw new Error('not claimed');
        await store.complete(scope, key, claim.token, response);
        expect((await store.claim(`${scope}-other`, key, 'hash-a')).outcome).toBe('claimed');
      });

      it('is forgotten after its retention, and purged', async () => {
        const store = await open({ retentionMs: 0 });
        const { scope, key } = fresh();
        const claim = await store.claim(scope, key, 'hash-a');
        if (claim.outcome !== 'claimed') throw new Error('not claimed');
        await store.complete(scope, key, claim.token, response);
        expect((await store.claim(scope, key, 'hash-b')).outcome).toBe('claimed');
        expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
        expect((await store.claim(scope, key, 'hash-c')).outcome).toBe('claimed');
      });

      it('is kept while its retention lasts', async () => {
        const store = await open({ retentionMs: 60_000 });
        const { scope, key } = fresh();
        const claim = await store.claim(scope, key, 'hash-a');
        if (claim.outcome !== 'claimed') throw new Error('not claimed');
        await store.complete(scope, key, claim.token, response);
        await store.purgeExpired();
        expect((await store.claim(scope, key, 'hash-a')).outcome).toBe('completed');
      });
    });
  });
}

/**
 * What an adapter does to let a request resume (same ids) after its runner died or failed: it
 * keeps when the request was first claimed and says the run is resumed. Memory and PostgreSQL
 * pass it; an adapter without it still works, only without resumption.
 */
export function resumableClaimContract(
  name: string,
  open: (options?: IdempotencyStoreOptions) => Promise<IdempotencyStore>,
): void {
  const fresh = () => ({ scope: `user-${randomUUID()} POST /things`, key: randomUUID() });
  const claimed = async (store: IdempotencyStore, scope: string, key: string, hash: string) => {
    const claim = await store.claim(scope, key, hash);
    if (claim.outcome !== 'claimed') throw new Error(`not claimed: ${claim.outcome}`);
    return claim;
  };

  describe(`${name}: resumable claims`, () => {
    it('a first claim is not resumed, and starts now', async () => {
      const store = await open();
      const { scope, key } = fresh();
      const before = Date.now() - 5_000;
      const claim = await claimed(store, scope, key, 'hash-a');
      expect(claim.resumed).toBe(false);
      expect(claim.startedAt).toBeGreaterThan(before);
    });

    it('a claim taken over after its timeout is resumed, with the first start', async () => {
      const store = await open({ claimTimeoutMs: 0 });
      const { scope, key } = fresh();
      const first = await claimed(store, scope, key, 'hash-a');
      await new Promise((resolve) => setTimeout(resolve, 5));
      const takeover = await claimed(store, scope, key, 'hash-a');
      expect(takeover.resumed).toBe(true);
      expect(takeover.startedAt).toBe(first.startedAt);
    });

    it('a released claim is resumed at once by the same request, with the first start', async () => {
      const store = await open();
      const { scope, key } = fresh();
      const first = await claimed(store, scope, key, 'hash-a');
      await store.release(scope, key, first.token);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const retry = await claimed(store, scope, key, 'hash-a');
      expect(retry.resumed).toBe(true);
      expect(retry.startedAt).toBe(first.startedAt);
    });

    it('a released claim is a fresh start for another request with the key', async () => {
      const store = await open();
      const { scope, key } = fresh();
      const first = await claimed(store, scope, key, 'hash-a');
      await store.release(scope, key, first.token);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const other = await claimed(store, scope, key, 'hash-b');
      expect(other.resumed).toBe(false);
      expect(other.startedAt).toBeGreaterThan(first.startedAt ?? Number.POSITIVE_INFINITY);
    });
  });
}
