import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { grantFamily, type Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { journeyFactsView } from '@waypoint/journey-facts';
import { FieldCipher, MemoryKeyStore } from '@waypoint/privacy';
import { createPgliteDatabase, ProjectionEngine } from '@waypoint/projections';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { accessLogProjection } from '../access-log/access-log-projection.js';
import { buildApp } from '../app.js';
import { findingsProjection } from '../findings/findings-projection.js';
import { DigestLog, digestKeysFromPem } from '../integrity/digests.js';
import type { JurisdictionProfile } from '../rules/jurisdiction-profile.js';
import { streams } from '../streams.js';
import { NL_PROFILE } from './journeys.js';

export const AUDIT_ORGS = {
  monitored: '0193b000-0000-7000-8000-000000000001',
  other: '0193b000-0000-7000-8000-000000000003',
} as const;

export interface AuditTestWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly engine: ProjectionEngine;
  readonly keys: MemoryKeyStore;
  readonly digestPath: string;
  readonly logs: string[];
  token(roles: readonly Role[], org?: string, sub?: string): Promise<string>;
  /** An auditor's mandate over organisations, as the identification service records it. */
  grantMandate(auditorUserId: string, orgIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** The bearer secret the test world's /metrics wants. */
export const AUDIT_TEST_METRICS_CREDENTIAL = 'audit-spec-metrics-credential-0123';

/**
 * The audit service on an in-memory store (or the one given, shared with the write services), its
 * read models in an in-memory PGlite run by the projection engine, digests in a temporary file.
 */
export async function auditTestWorld(
  options: {
    store?: EventStore;
    keys?: MemoryKeyStore;
    profiles?: readonly JurisdictionProfile[];
  } = {},
): Promise<AuditTestWorld> {
  const store = options.store ?? new MemoryEventStore();
  const keys =
    options.keys ?? new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const profiles = options.profiles ?? [NL_PROFILE];
  const db = await createPgliteDatabase();
  const engine = await new ProjectionEngine({
    store,
    db,
    projections: [findingsProjection({ profiles }), accessLogProjection()],
    pollIntervalMs: 20,
    superviseIntervalMs: 200,
  }).start();
  const dir = await mkdtemp(join(tmpdir(), 'wp-audit-'));
  const digestPath = join(dir, 'digests.jsonl');
  const { privateKey } = generateKeyPairSync('ed25519');
  const auth = await testAuth();
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApp(
    {
      store,
      cipher: new FieldCipher(keys),
      journeys: journeyFactsView(store),
      readModels: engine,
      profiles,
      digests: {
        log: new DigestLog(digestPath),
        keys: digestKeysFromPem(
          'test',
          privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        ),
      },
      sweepIntervalMs: 0,
      digestIntervalMs: 0,
      now: () => new Date(),
      newId: v7,
    },
    {
      version: 'test',
      logger: destination,
      authenticator: auth.authenticator,
      rateLimit: false,
      readiness: () => Promise.resolve(true),
      metricsCredential: AUDIT_TEST_METRICS_CREDENTIAL,
    },
  );
  return {
    app,
    store,
    engine,
    keys,
    digestPath,
    logs,
    token: (roles, org = AUDIT_ORGS.monitored, sub = `user-${roles.join('-')}-${org.slice(-4)}`) =>
      auth.tokenFor({ roles, org, sub }),
    grantMandate: async (auditorUserId, orgIds) => {
      const event = grantFamily.encode({
        type: 'AuditorMandateGranted',
        data: {
          mandateId: v7(),
          auditorUserId,
          orgIds: [...orgIds],
          from: '2000-01-01T00:00:00.000Z',
          until: '2100-01-01T00:00:00.000Z',
          grantedBy: 'dpo',
        },
      });
      await store.append(streams.grants(auditorUserId), [
        {
          id: v7(),
          ...event,
          metadata: {
            occurredAt: new Date().toISOString(),
            actor: { userId: 'dpo', role: 'data_protection_officer', orgId: AUDIT_ORGS.monitored },
            correlationId: 'seed',
            causationId: 'seed',
          },
        },
      ]);
    },
    close: async () => {
      await app.close();
      await engine.stop();
      await db.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
