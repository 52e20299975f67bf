import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  auditDistributedConfigSchema,
  startDistributedAudit,
} from '@waypoint/audit-service/distributed';
import {
  analyticsDistributedConfigSchema,
  startDistributedAnalytics,
} from '@waypoint/analytics-service/distributed';
import { careConfigSchema, startDistributedCare } from '@waypoint/care-service/distributed';
import {
  identificationConfigSchema,
  startDistributedIdentification,
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
import { journeyFactsProjection, sqlFactsSource } from '@waypoint/analytics-service';
import { loadConfig } from '@waypoint/service-kit';
import type { DistributedService } from '@waypoint/runtime';
import { testAuth, type TestAuth } from '@waypoint/service-kit/testing';
import {
  shelterConfigSchema,
  startDistributedShelter,
} from '@waypoint/shelter-service/distributed';
import { createTestDatabase, REQUIRE_SERVICES, type TestDatabase } from '@waypoint/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

if (REQUIRE_SERVICES && (!postgresAdminUrl || !kafkaBrokers))
  throw new Error('WAYPOINT_REQUIRE_SERVICES=1: the distributed suite needs PostgreSQL and Kafka');

const SERVICES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
  'journey',
  'audit',
  'analytics',
] as const;
type Name = (typeof SERVICES)[number];

const ORG = v7();
const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

/** Polls until `check` stops throwing: the consumers are asynchronous, with no caught-up signal. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
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

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

describe.skipIf(!postgresAdminUrl || !kafkaBrokers)(
  'the distributed mode: every service on its own, each with its own database, joined by Kafka',
  () => {
    const databases: TestDatabase[] = [];
    const running = new Map<Name, DistributedService>();
    const addresses = new Map<Name, string>();
    const folder = mkdtempSync(join(tmpdir(), 'waypoint-distributed-'));
    let auth: TestAuth;

    const service = (name: Name): DistributedService => {
      const found = running.get(name);
      if (!found) throw new Error(`${name} is not running`);
      return found;
    };

    async function call(
      name: Name,
      method: 'GET' | 'POST',
      path: string,
      roles: ('caseworker' | 'supervisor')[],
      body?: unknown,
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const token = await auth.tokenFor({ sub: `user-${roles.join('-')}`, org: ORG, roles });
      const response = await fetch(`${addresses.get(name) ?? ''}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    async function created(
      name: Name,
      path: string,
      body: unknown,
      roles: ('caseworker' | 'supervisor')[] = ['caseworker'],
    ): Promise<Record<string, unknown>> {
      const response = await call(name, 'POST', path, roles, body);
      expect(response, `${name} POST ${path}`).toMatchObject({ status: 201 });
      return response.body;
    }

    beforeAll(async () => {
      if (!postgresAdminUrl || !kafkaBrokers) return;
      auth = await testAuth();
      const keys = await createTestDatabase(postgresAdminUrl, 'wp_dist_keys');
      databases.push(keys);
      const common = {
        HOST: '127.0.0.1',
        PORT: '0',
        AUTH_PUBLIC_JWK: JSON.stringify(auth.publicJwk),
        AUTH_ISSUER: auth.issuer,
        AUTH_AUDIENCE: auth.audience,
        KEY_STORE_DATABASE_URL: keys.url,
        MASTER_KEY: `test-1:${randomBytes(32).toString('base64')}`,
        KAFKA_BROKERS: kafkaBrokers.join(','),
        // The mock cluster notices a member gone only when its session expires.
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        KAFKA_REBALANCE_TIMEOUT_MS: '8000',
      };
      const envOf = async (name: Name): Promise<Record<string, string>> => {
        const database = await createTestDatabase(postgresAdminUrl, `wp_dist_${name}`);
        databases.push(database);
        return { ...common, EVENT_STORE_URL: database.url, READ_MODEL_DATABASE_URL: database.url };
      };
      const digestKey = generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const started = await Promise.all([
        envOf('identification').then((env) =>
          startDistributedIdentification(
            loadConfig(identificationConfigSchema, {
              ...env,
              BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
            }),
            quiet,
          ),
        ),
        envOf('shelter').then((env) =>
          startDistributedShelter(loadConfig(shelterConfigSchema, env), quiet),
        ),
        envOf('care').then((env) => startDistributedCare(loadConfig(careConfigSchema, env), quiet)),
        envOf('legal').then((env) =>
          startDistributedLegal(loadConfig(legalConfigSchema, env), quiet),
        ),
        envOf('reintegration').then((env) =>
          startDistributedReintegration(loadConfig(reintegrationConfigSchema, env), quiet),
        ),
        envOf('journey').then((env) =>
          startDistributedJourney(loadConfig(journeyConfigSchema, env), quiet),
        ),
        envOf('audit').then((env) =>
          startDistributedAudit(
            loadConfig(auditDistributedConfigSchema, {
              ...env,
              AUDIT_DIGEST_KEY: digestKey,
              AUDIT_DIGEST_PATH: join(folder, 'digests.jsonl'),
              AUDIT_SWEEP_INTERVAL_MS: '0',
              AUDIT_DIGEST_INTERVAL_MS: '0',
            }),
            quiet,
          ),
        ),
        envOf('analytics').then((env) =>
          startDistributedAnalytics(loadConfig(analyticsDistributedConfigSchema, env), quiet),
        ),
      ]);
      for (const [index, name] of SERVICES.entries()) {
        const started_ = started[index];
        if (!started_) continue;
        running.set(name, started_);
        addresses.set(name, await started_.app.listen({ host: '127.0.0.1', port: 0 }));
      }
    }, 120_000);

    afterAll(async () => {
      await Promise.all([...running.values()].map((distributed) => distributed.close()));
      await Promise.all(databases.map((database) => database.drop()));
      rmSync(folder, { recursive: true, force: true });
    }, 60_000);

    it('is ready when its store, its relay and its consumers are', async () => {
      for (const name of SERVICES) {
        const ready = await fetch(`${addresses.get(name) ?? ''}/ready`);
        expect(ready.status, name).toBe(200);
      }
    });

    it('carries a journey from the write services, through Kafka, to the journey, audit and analytics read models', async () => {
      // Identification: a person (a non-national), a journey, reasonable grounds, consent to services.
      const { personId } = await created('identification', '/persons', {
        identity: { givenName: 'Synthetic', familyName: 'Person', birthDate: '1994-09-17' },
        gender: 'Feminine',
        ageBand: '30-38',
        child: 'no',
        citizenship: ['NG'],
        languages: ['en'],
      });
      const { journeyId } = await created('identification', '/journeys', {
        personId,
        jurisdiction: 'NL',
      });
      const journey = String(journeyId);
      await created('identification', `/journeys/${journey}/reasonable-grounds`, {
        outcome: 'positive',
        decidingBody: { type: 'NGO', name: 'Synthetic Outreach' },
        reasonCodes: ['indicators_present'],
        rationale: 'Synthetic rationale text',
        legalBasis: 'CoE Convention Art. 10(2)',
      });
      const consentId = v7();
      await created('identification', `/journeys/${journey}/consents`, {
        consentId,
        scope: 'services',
        givenBy: 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
      });

      // The shelter's and the legal service's stores never hold the identification events: what
      // they know of the journey came over waypoint.identification.v1.
      for (const name of ['shelter', 'legal'] as const) {
        const facts = service(name).journeyFacts;
        expect(facts, `${name} reads the journey facts from Kafka`).toBeDefined();
        await eventually(async () => {
          const known = (await facts?.view.current())?.get(journey);
          expect(known?.consents.map((consent) => consent.consentId)).toEqual([consentId]);
        });
        expect(await service(name).store.streamRevision(`identification-${journey}`)).toBeNull();
      }

      // Shelter: admitted on the consent recorded in another service's database.
      const { shelterId } = await created(
        'shelter',
        '/shelters',
        {
          name: 'Synthetic Shelter',
          type: 'emergency',
          capacity: 10,
          childOnly: false,
          adultsOnly: false,
          secure: false,
          country: 'NL',
          address: { line1: 'Synthetic quay 1', postalCode: '1000 AA', city: 'Harbourtown' },
        },
        ['supervisor'],
      );
      await created('shelter', `/journeys/${journey}/shelter/admissions`, { shelterId });

      // Legal: a reflection period of 20 days, short of the 30 the law requires (RR-01).
      await created('legal', `/journeys/${journey}/legal/reflection-periods`, {
        actingBody: { type: 'ImmigrationAuthority', name: 'Immigration Service (synthetic)' },
        occurredOn: day(0),
        start: day(0),
        end: day(20),
      });

      // Journey: the timeline and the summary, built from the three services' topics.
      const timeline = await eventually(async () => {
        const response = await call('journey', 'GET', `/journeys/${journey}/timeline`, [
          'caseworker',
        ]);
        expect(response.status).toBe(200);
        const types = (response.body.entries as { type: string }[]).map((entry) => entry.type);
        expect(types).toEqual(
          expect.arrayContaining([
            'JourneyOpened',
            'ConsentRecorded',
            'ShelterAdmitted',
            'RecoveryReflectionPeriodGranted',
          ]),
        );
        return response.body.entries as { type: string; service: string }[];
      });
      expect(new Set(timeline.map((entry) => entry.service))).toEqual(
        new Set(['identification', 'shelter', 'legal']),
      );
      const summary = await call('journey', 'GET', `/journeys/${journey}/summary`, ['caseworker']);
      expect(summary.status).toBe(200);
      expect(summary.body).toMatchObject({ journeyId: journey });

      // The journey service's own store holds none of it: only its access records.
      const journeyService = service('journey');
      for (const category of ['identification', 'shelter', 'legal'])
        expect(await journeyService.store.streamRevision(`${category}-${journey}`)).toBeNull();
      expect(await journeyService.store.streamRevision(`access-journey-${journey}`)).not.toBeNull();
      const consumed = (journeyService.projectionConsumers?.consumers ?? []).reduce(
        (sum, consumer) => sum + consumer.status().consumed,
        0,
      );
      expect(consumed).toBeGreaterThanOrEqual(4);

      // Audit: the short reflection period is a breach in its findings read model.
      const findings = await eventually(async () => {
        const response = await call('audit', 'GET', `/audit/findings?journeyId=${journey}`, [
          'supervisor',
        ]);
        expect(response.status).toBe(200);
        const list = response.body.findings as { ruleId: string; severity: string }[];
        expect(list.map((finding) => finding.ruleId)).toContain('RR-01');
        return list;
      });
      expect(findings.find((finding) => finding.ruleId === 'RR-01')?.severity).toBe('breach');

      // Analytics: the journey's facts row, from the same topics.
      const analytics = service('analytics').readModels;
      await eventually(async () => {
        if (!analytics) throw new Error('analytics has no read models');
        const facts = sqlFactsSource(analytics.db, () =>
          analytics.schemaOf(journeyFactsProjection.name),
        );
        const rows = await facts.load({ consentedOnly: false });
        expect(rows.map((row) => row.journeyId)).toContain(journey);
      });

      // The relays moved every event of the three services to their topics.
      for (const name of ['identification', 'shelter', 'legal'] as const) {
        const status = service(name).relay?.status();
        expect(status?.healthy, name).toBe(true);
        expect(status?.eventsRelayed ?? 0, name).toBeGreaterThan(0);
      }
    });
  },
);
