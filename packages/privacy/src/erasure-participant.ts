import {
  CATEGORIES,
  ERASURE_SERVICES,
  type PURGE_OUTCOMES,
  type Category,
  type ErasureService,
} from '@waypoint/contracts';

/** An erasure request that waits for one service's confirmation. */
export interface PendingErasure {
  readonly requestId: string;
  readonly personId: string;
  readonly categories: readonly Category[];
}

/** What a service did before confirming, as recorded in `ErasureServiceConfirmed`. */
export interface PurgeReport {
  readonly outcome: (typeof PURGE_OUTCOMES)[number];
  readonly cacheEntriesEvicted: number;
}

/**
 * Where the erasure workflow runs (the identification service): the requests waiting for a
 * service, and the confirmation. In one process it is the workflow itself; between processes it
 * is `httpErasureCoordinator`, so a service needs no access to another service's streams.
 */
export interface ErasureCoordinator {
  pending(service: ErasureService): Promise<PendingErasure[]>;
  confirm(requestId: string, service: ErasureService, report: PurgeReport): Promise<void>;
}

/** Removes a service's decrypted copies of a person's data: caches, snapshots, files. */
export type Purge = (erasure: PendingErasure) => Promise<PurgeReport>;

/** A cache of unwrapped keys that can forget a person (`CachingKeyStore`). */
export interface EvictableKeyCache {
  evict(subject: string, categories?: readonly Category[]): number;
}

/**
 * The purge of a service whose read models keep personal data only as ciphertext (every service
 * of Waypoint today): drop the person's keys from the process's key cache, so that nothing here
 * decrypts them once they are destroyed, even if another process destroys them.
 */
export function keyCachePurge(cache: EvictableKeyCache | undefined): Purge {
  return (erasure) =>
    Promise.resolve({
      outcome: 'nothing_decrypted_kept',
      cacheEntriesEvicted: cache ? cache.evict(erasure.personId, erasure.categories) : 0,
    });
}

/**
 * One pass of a service's part in erasures: purge, then confirm, every request waiting for it.
 * Run it on an interval (and after a restart: a purge is idempotent and so is a confirmation).
 * Returns how many requests it confirmed. A failure stops the pass; the next one retries.
 */
export async function confirmPendingErasures(
  coordinator: ErasureCoordinator,
  service: ErasureService,
  purge: Purge,
): Promise<number> {
  let confirmed = 0;
  for (const erasure of await coordinator.pending(service)) {
    const report = await purge(erasure);
    await coordinator.confirm(erasure.requestId, service, report);
    confirmed += 1;
  }
  return confirmed;
}

export interface HttpErasureCoordinatorOptions {
  /** The identification service, e.g. `http://identification:3000`. */
  readonly baseUrl: string;
  /** A short-lived bearer token of the service's own account (role `admin`). */
  readonly token: () => Promise<string>;
  readonly fetch?: typeof fetch;
}

export class ErasureCoordinatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ErasureCoordinatorError';
  }
}

/** The coordinator over HTTP: `GET /erasure-requests/pending`, `POST …/confirmations`. */
export function httpErasureCoordinator(options: HttpErasureCoordinatorOptions): ErasureCoordinator {
  const call = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = async (): Promise<Record<string, string>> => ({
    authorization: `Bearer ${await options.token()}`,
    accept: 'application/json',
  });
  return {
    async pending(service) {
      const response = await call(
        `${base}/erasure-requests/pending?service=${encodeURIComponent(service)}`,
        { headers: await headers() },
      );
      if (!response.ok) {
        throw new ErasureCoordinatorError(
          response.status,
          `pending erasures: ${String(response.status)}`,
        );
      }
      return parsePending(await response.json());
    },
    async confirm(requestId, service, report) {
      const response = await call(
        `${base}/erasure-requests/${encodeURIComponent(requestId)}/confirmations`,
        {
          method: 'POST',
          headers: { ...(await headers()), 'content-type': 'application/json' },
          body: JSON.stringify({ service, ...report }),
        },
      );
      if (!response.ok) {
        throw new ErasureCoordinatorError(
          response.status,
          `confirming erasure ${requestId}: ${String(response.status)}`,
        );
      }
    },
  };
}

/** Checks the answer's shape by hand: this package does not depend on zod. */
function parsePending(body: unknown): PendingErasure[] {
  const items = (body as { pending?: unknown } | null)?.pending;
  if (!Array.isArray(items)) throw new ErasureCoordinatorError(502, 'pending erasures: bad body');
  return items.map((item: unknown) => {
    const { requestId, personId, categories } = (item ?? {}) as Record<string, unknown>;
    if (
      typeof requestId !== 'string' ||
      typeof personId !== 'string' ||
      !Array.isArray(categories) ||
      !categories.every((category) => (CATEGORIES as readonly unknown[]).includes(category))
    ) {
      throw new ErasureCoordinatorError(502, 'pending erasures: bad item');
    }
    return { requestId, personId, categories: categories as Category[] };
  });
}

export function isErasureService(value: unknown): value is ErasureService {
  return (ERASURE_SERVICES as readonly unknown[]).includes(value);
}
