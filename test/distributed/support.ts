import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  analyticsDistributedConfigSchema,
  startDistributedAnalytics,
} from '@waypoint/analytics-service/distributed';
import {
  auditDistributedConfigSchema,
  startDistributedAudit,
} from '@waypoint/audit-service/distributed';
import { careConfigSchema, startDistributedCare } from '@waypoint/care-service/distributed';
import type { Role } from '@waypoint/contracts';
import {
  identificationConfigSchema,
  startDistributedIdentification,
  type DistributedIdentification,
} from '@waypoint/identification-service/distributed';
import {
  journeyConfigSchema,
  startDistributedJourney,
} from '@waypoint/journey-service/distributed';
import { legalConfigSchema, startDistributedLegal } from '@waypoint/legal-service/distributed';
import {
  reintegrationConfigSchema,
  startDistributedReintegration,
} from '@waypoint/reintegration-service/distributed';
import type { DistributedParticipant, DistributedService } from '@waypoint/runtime';
import { loadConfig } from '@waypoint/service-kit';
import { testAuth, type TestAuth } from '@waypoint/service-kit/testing';
import {
  shelterConfigSchema,
  startDistributedShelter,
} from '@waypoint/shelter-service/distributed';
import { processConnections } from '@waypoint/runtime';
import { createTestDatabase, reserveConnections, type TestDatabase } from '@waypoint/testing';
import { v7 } from 'uuid';
import { expect } from 'vitest';

export const SERVICES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
  'journey',
  'audit',
  'analytics',
] as const;
export type Name = (typeof SERVICES)[number];
export type ParticipantName = Exclude<Name, 'identification'>;
/** The pools of every service of a test cluster (DATABASE_POOL_SIZE). */
export const TEST_POOL_SIZE = 2;

/**
 * The most connections a cluster holds: each service's (`processConnections`), and three for
 * the test itself (the reservation, a database being created, a client reading a database).
 */
export const CLUSTER_CONNECTIONS =
  processConnections(TEST_POOL_SIZE, { kafka: true }) +
  4 * processConnections(TEST_POOL_SIZE, { kafka: true, projections: 'own-store' }) +
  3 * processConnections(TEST_POOL_SIZE, { kafka: true, projections: 'services' }) +
  3;

export const PARTICIPANTS = SERVICES.filter(
  (name): name is ParticipantName => name !== 'identification',
);

/** A log destination that drops every line. */
export const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

/** A log destination that keeps every line, to scan them. */
export interface CapturedLogs {
  readonly stream: Writable;
  text(): string;
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
    text: () => lines.join(''),
  };
}

/** Polls until `check` stops throwing: the consumers are asynchronous, with no caught-up signal. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

export interface Response {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

/**
 * The eight services of the distributed mode, each with its own PostgreSQL database (event store,
 * read models, relay checkpoint), one shared key-store database, joined by Kafka; listening on
 * loopback. The erasure duties run only when a test calls them (ERASURE_INTERVAL_MS=0).
 */
export interface Cluster {
  readonly auth: TestAuth;
  /** The organisation of every user the helpers act as. */
  readonly org: string;
  /** Each service's database, and `keys`, the key store's. */
  readonly databases: ReadonlyMap<Name | 'keys', TestDatabase>;
  readonly masterKey: string;
  identification(): DistributedIdentification;
  participant(name: ParticipantName): DistributedParticipant;
  service(name: Name): DistributedService;
  /** `http://127.0.0.1:<port>` */
  address(name: Name): string;
  readonly call: (
    name: Name,
    method: 'GET' | 'POST',
    path: string,
    roles: readonly Role[],
    body?: unknown,
  ) => Promise<Response>;
  /** A POST that must answer 201; its body. */
  readonly created: (
    name: Name,
    path: string,
    body: unknown,
    roles?: readonly Role[],
  ) => Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  readonly postgresAdminUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** Where each service logs; nowhere by default. */
  readonly logs?: (name: Name) => Writable;
}

/**
 * Starts identification first (the others confirm erasures to its address), then the seven
 * others at once, each with a token of its own account (role admin) in a file.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { postgresAdminUrl, kafkaBrokers } = options;
  const logOf = options.logs ?? (() => quiet);
  // Waits while other files hold the server's connections (docs/testing.md).
  const reservation = await reserveConnections(postgresAdminUrl, CLUSTER_CONNECTIONS);
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-distributed-'));
  const databases = new Map<Name | 'keys', TestDatabase>();
  const running = new Map<Name, DistributedService>();
  const addresses = new Map<Name, string>();
  const org = v7();
  const masterKey = `test-1:${randomBytes(32).toString('base64')}`;
  const auth = await testAuth();
  let identification: DistributedIdentification | undefined;
  const participants = new Map<ParticipantName, DistributedParticipant>();

  const close = async (): Promise<void> => {
    await Promise.all([...running.values()].map((distributed) => distributed.close()));
    await Promise.all([...databases.values()].map((database) => database.drop()));
    rmSync(folder, { recursive: true, force: true });
    await reservation.release();
  };

  const database = async (name: Name | 'keys'): Promise<TestDatabase> => {
    const created = await createTestDatabase(postgresAdminUrl, `wp_dist_${name}`);
    databases.set(name, created);
    return created;
  };
  const listen = async (name: Name, started: DistributedService): Promise<void> => {
    running.set(name, started);
    addresses.set(name, await started.app.listen({ host: '127.0.0.1', port: 0 }));
  };

  try {
    const keys = await database('keys');
    const common = {
      HOST: '127.0.0.1',
      PORT: '0',
      AUTH_PUBLIC_JWK: JSON.stringify(auth.publicJwk),
      AUTH_ISSUER: auth.issuer,
      AUTH_AUDIENCE: auth.audience,
      KEY_STORE_DATABASE_URL: keys.url,
      MASTER_KEY: masterKey,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      // The mock cluster notices a member gone only when its session expires.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_REBALANCE_TIMEOUT_MS: '8000',
      ERASURE_INTERVAL_MS: '0',
      // Every user acts for this one organisation, which no one registers in the directory:
      // configured as the DPO organisation, it is known to every service.
      DPO_ORG_IDS: org,
      // Small pools: the eight services must fit in the server's connections (docs/testing.md).
      DATABASE_POOL_SIZE: String(TEST_POOL_SIZE),
    };
    const envOf = async (name: Name): Promise<Record<string, string>> => {
      const { url } = await database(name);
      return { ...common, EVENT_STORE_URL: url, READ_MODEL_DATABASE_URL: url };
    };

    identification = await startDistributedIdentification(
      loadConfig(identificationConfigSchema, {
        ...(await envOf('identification')),
        BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      }),
      logOf('identification'),
    );
    await listen('identification', identification);

    const participantEnv = async (name: ParticipantName): Promise<Record<string, string>> => {
      const tokenFile = join(folder, `${name}.token`);
      writeFileSync(
        tokenFile,
        `${await auth.tokenFor({ sub: `service-${name}`, org, roles: ['admin'], ttlSeconds: 900 })}\n`,
        { mode: 0o600 },
      );
      return {
        ...(await envOf(name)),
        IDENTIFICATION_URL: addresses.get('identification') ?? '',
        ERASURE_SERVICE_TOKEN_FILE: tokenFile,
      };
    };
    const digestKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const starters: Record<
      ParticipantName,
      (env: Record<string, string>) => Promise<DistributedParticipant>
    > = {
      shelter: (env) =>
        startDistributedShelter(loadConfig(shelterConfigSchema, env), logOf('shelter')),
      care: (env) => startDistributedCare(loadConfig(careConfigSchema, env), logOf('care')),
      legal: (env) => startDistributedLegal(loadConfig(legalConfigSchema, env), logOf('legal')),
      reintegration: (env) =>
        startDistributedReintegration(
          loadConfig(reintegrationConfigSchema, env),
          logOf('reintegration'),
        ),
      journey: (env) =>
        startDistributedJourney(loadConfig(journeyConfigSchema, env), logOf('journey')),
      audit: (env) =>
        startDistributedAudit(
          loadConfig(auditDistributedConfigSchema, {
            ...env,
            AUDIT_DIGEST_KEY: digestKey,
            AUDIT_DIGEST_PATH: join(folder, 'digests.jsonl'),
            AUDIT_SWEEP_INTERVAL_MS: '0',
            AUDIT_DIGEST_INTERVAL_MS: '0',
          }),
          logOf('audit'),
        ),
      analytics: (env) =>
        startDistributedAnalytics(
          loadConfig(analyticsDistributedConfigSchema, env),
          logOf('analytics'),
        ),
    };
    const started = await Promise.allSettled(
      PARTICIPANTS.map(async (name) => {
        const participant = await starters[name](await participantEnv(name));
        participants.set(name, participant);
        await listen(name, participant);
      }),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    // Consumers join their groups after a service answers: the cluster is up once all are ready.
    await Promise.all(
      [...addresses.values()].map((address) =>
        eventually(async () => {
          const ready = await fetch(`${address}/ready`);
          if (ready.status !== 200) throw new Error(`${address}: ${await ready.text()}`);
        }, 90_000),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }

  const served = identification;
  const call: Cluster['call'] = async (name, method, path, roles, body) => {
    const token = await auth.tokenFor({ sub: `user-${roles.join('-')}`, org, roles });
    const response = await fetch(`${addresses.get(name) ?? ''}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text };
  };
  return {
    auth,
    org,
    databases,
    masterKey,
    identification: () => served,
    participant: (name) => {
      const found = participants.get(name);
      if (!found) throw new Error(`${name} is not running`);
      return found;
    },
    service: (name) => {
      const found = running.get(name);
      if (!found) throw new Error(`${name} is not running`);
      return found;
    },
    address: (name) => {
      const found = addresses.get(name);
      if (found === undefined) throw new Error(`${name} is not listening`);
      return found;
    },
    call,
    created: async (name, path, body, roles = ['caseworker']) => {
      const response = await call(name, 'POST', path, roles, body);
      expect(response.status, `${name} POST ${path}: ${response.text}`).toBe(201);
      return response.body;
    },
    close,
  };
}
