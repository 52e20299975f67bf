/** A JSON value, as a response body is stored and replayed. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The first successful response to a request, as a retry gets it back. */
export interface StoredResponse {
  readonly status: number;
  /** Only the headers a client acts on: `etag` and `location`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: JsonValue;
}

export type Claim =
  /** The key is this request's now: run it, then `complete` or `release` with the token. */
  | {
      readonly outcome: 'claimed';
      readonly token: string;
      /**
       * When this request first claimed the key (ms since the epoch); kept when the claim is
       * taken over, so that every run of the request makes the same ids. Absent: now.
       */
      readonly startedAt?: number;
      /** True when an earlier run of this very request died or failed: it may have appended. */
      readonly resumed?: boolean;
    }
  /** Another request holds the key and has not finished. */
  | { readonly outcome: 'in_progress'; readonly requestHash: string }
  | {
      readonly outcome: 'completed';
      readonly requestHash: string;
      readonly response: StoredResponse;
    };

/**
 * Where Idempotency-Key records live. A key is claimed before the work runs, so two concurrent
 * requests with one key cannot both run it; a claim whose runner died is taken over after
 * `claimTimeoutMs`, by the same request only, and a released one at once. Either way the record
 * keeps when the request was first claimed (`startedAt`) and says it is `resumed`: the run that
 * takes over makes the same ids as the first (see `operation.ts`), so it finds what the first
 * appended instead of deciding again on a state that already holds it.
 */
export interface IdempotencyStore {
  claim(scope: string, key: string, requestHash: string): Promise<Claim>;
  /** Stores the response of a claimed request: retries replay it until the record expires. */
  complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void>;
  /**
   * Frees a claim whose request failed, so that a retry runs it again at once: the same request
   * resumes it (same ids), another request with the key starts afresh.
   */
  release(scope: string, key: string, token: string): Promise<void>;
  /** Deletes expired records; returns how many. Run it now and then (hourly is plenty). */
  purgeExpired(): Promise<number>;
}

export interface IdempotencyStoreOptions {
  /** How long a response is replayed for a retry. Default: 24 hours. */
  readonly retentionMs?: number;
  /** After this long, an unfinished claim is considered dead and its request may run again. Default: 60 s. */
  readonly claimTimeoutMs?: number;
}

export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_CLAIM_TIMEOUT_MS = 60 * 1000;
