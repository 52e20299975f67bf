import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grantFamily, type Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { grantStream } from '@waypoint/journey-facts';
import { MemoryKeyStore } from '@waypoint/privacy';
import { createPgliteDatabase, type ProjectionEngine } from '@waypoint/projections';
import {
  capturedLogs,
  testContext,
  testReadModels,
  testServiceApp,
} from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { DigestLog, digestKeysFromPem } from '../integrity/digests.js';
import type { JurisdictionProfile } from '../rules/jurisdiction-profile.js';
import { auditService } from '../service.js';
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
  const dir = await mkdtemp(join(tmpdir(), 'wp-audit-'));
  const digestPath = join(dir, 'digests.jsonl');
  const { privateKey } = generateKeyPairSync('ed25519');
  const service = auditService({
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
  });
  const engine = await testReadModels(service, { store, db, superviseIntervalMs: 200 });
  const auth = await testAuth();
  const logs = capturedLogs();
  const { app } = await testServiceApp(service, {
    context: testContext({ store, keys, readModels: engine }),
    authenticator: auth.authenticator,
    logger: logs.stream,
    metricsCredential: AUDIT_TEST_METRICS_CREDENTIAL,
  });
  return {
    app,
    store,
    engine,
    keys,
    digestPath,
    logs: logs.lines,
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
      await store.append(grantStream(auditorUserId), [
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
