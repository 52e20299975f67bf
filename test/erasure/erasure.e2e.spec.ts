import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { allInOneConfigSchema, demoToken, startEmbedded } from '@waypoint/all-in-one';
import { auditJourney, profilesOf } from '@waypoint/audit-service';
import type { EventStore, RecordedEvent } from '@waypoint/eventstore';
import {
  personIndex,
  organisationDirectory,
  registerErasure,
  type ErasureRuntime,
} from '@waypoint/identification-service';
import {
  BlindIndex,
  CachingKeyStore,
  FieldCipher,
  SqliteKeyStore,
  confirmPendingErasures,
  httpErasureCoordinator,
  keyCachePurge,
  parseMasterKey,
} from '@waypoint/privacy';
import { createAuthenticator, createServiceApp, type ServiceApp } from '@waypoint/service-kit';
import { http } from '@waypoint/service-kit/testing';
import Database from 'better-sqlite3';
import { v7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encryptedFieldsOf,
  newCanaries,
  scanFolderForCanaries,
  scanForCanaries,
  type CanaryHit,
} from './canary-scan.js';

/**
 * The verification of an erasure, end to end on the embedded process: a person whose personal
 * data holds unique canaries is recorded through every service's API and read back; the erasure
 * runs to completion (the workflow on its own app over the same event store and key file, with
 * the other services confirming over HTTP, as in the distributed mode); then every copy is
 * scanned. The embedded process is restarted for the reads after: its key cache would otherwise
 * decrypt until its TTL (wiring the workflow into it makes the restart unnecessary).
 */

const folder = mkdtempSync(join(tmpdir(), 'waypoint-erasure-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});
const config = allInOneConfigSchema.parse({ DATA_DIR: folder, DEMO_JOURNEYS: '0' });
const logs: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logs.push(chunk.toString('utf8'));
    done();
  },
});
const canaries = newCanaries(9, 'E');
const [
  givenName,
  familyName,
  contactPlace,
  rationale,
  shelterNotes,
  clinical,
  detentionPlace,
  narrative,
  reviewNotes,
] = canaries as [string, string, string, string, string, string, string, string, string];

type Embedded = Awaited<ReturnType<typeof startEmbedded>>;

async function call(
  app: { readonly inject: Embedded['app']['inject'] },
  token: string,
  method: 'GET' | 'POST',
  url: string,
  body?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body }),
  });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json<Record<string, unknown>>();
}

const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

/** A person and their journey, with a canary in a personal field of every service's events. */
async function seed(embedded: Embedded): Promise<{ personId: string; journeyId: string }> {
  const token = (user: string): Promise<string> =>
    demoToken(embedded.secrets.signingKey.privateJwk, user);
  const caseworker = await token('caseworker');
  const app = embedded.app;
  const { personId } = (await call(app, caseworker, 'POST', '/persons', {
    identity: { givenName, familyName, birthDate: '1993-03-04' },
    gender: 'Feminine',
    ageBand: '30-38',
    child: 'no',
    citizenship: ['RO'],
    languages: ['ro'],
  })) as { personId: string };
  const { journeyId } = (await call(app, caseworker, 'POST', '/journeys', {
    personId,
    jurisdiction: 'NL',
  })) as { journeyId: string };
  const base = `/journeys/${journeyId}`;
  await call(app, caseworker, 'POST', `${base}/first-contact`, {
    channel: 'outreach',
    location: contactPlace,
  });
  await call(app, caseworker, 'POST', `${base}/reasonable-grounds`, {
    outcome: 'positive',
    decidingBody: { type: 'NGO', name: 'Harbour Outreach' },
    reasonCodes: ['indicators_present'],
    rationale,
    legalBasis: 'CoE Convention Art. 10(2)',
  });
  for (const scope of ['services', 'anonymous_reporting']) {
    await call(app, caseworker, 'POST', `${base}/consents`, {
      consentId: v7(),
      scope,
      givenBy: 'self',
      informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
    });
  }
  const { shelterId } = (await call(app, await token('supervisor'), 'POST', '/shelters', {
    name: `Erasure test shelter ${v7()}`,
    type: 'emergency',
    capacity: 20,
    childOnly: false,
    adultsOnly: false,
    secure: false,
    country: 'NL',
    address: { line1: 'Synthetic quay 12', postalCode: '1000 AA', city: 'Harbourtown' },
  })) as { shelterId: string };
  await call(app, caseworker, 'POST', `${base}/shelter/admissions`, { shelterId });
  await call(app, caseworker, 'POST', `${base}/shelter/risk-assessments`, {
    level: 'medium',
    risks: ['contact_with_exploiters'],
    notes: shelterNotes,
  });
  await call(app, caseworker, 'POST', `${base}/care/deliveries`, {
    careCode: 'emergency_medical',
    provider: { name: 'City Health Clinic', type: 'HealthServiceOrganisation' },
    language: 'ro',
    interpreterUsed: true,
    deliveredAt: daysAgo(2),
    vitalInterest: true,
    clinicalDetails: clinical,
  });
  await call(app, caseworker, 'POST', `${base}/legal/detentions`, {
    actingBody: { type: 'ImmigrationAuthority', name: 'Immigration Service (synthetic)' },
    occurredOn: daysAgo(3).slice(0, 10),
    kind: 'immigration',
    place: detentionPlace,
  });
  // A penalty for an offence linked to the trafficking: a finding the audit must keep making.
  await call(app, caseworker, 'POST', `${base}/legal/penalties`, {
    actingBody: { type: 'Court', name: 'District court (synthetic)' },
    occurredOn: daysAgo(3).slice(0, 10),
    penalty: 'fine',
    offence: 'false_documents',
    linkedToTrafficking: 'yes',
    amount: { amount: 400, currency: 'EUR' },
  });
  const reintegration = await token('reintegration');
  await call(app, reintegration, 'POST', `${base}/reintegration/risk-assessments`, {
    scope: 'return',
    level: 'low',
    assessedBy: { type: 'NGO', name: 'Harbour Outreach' },
    countryOfReturn: 'RO',
    narrative,
    occurredAt: daysAgo(1),
  });
  await call(app, reintegration, 'POST', `${base}/reintegration/reviews`, {
    reviewId: v7(),
    method: 'phone',
    scores: { economic: 0.3, social: 0.5, psychosocial: 0.4 },
    nextReviewDue: daysAgo(-90).slice(0, 10),
    notes: reviewNotes,
  });
  return { personId, journeyId };
}

/** Every read route that shows the person's data, with a user allowed to read it. */
function readRoutes(personId: string, journeyId: string): [string, string][] {
  const base = `/journeys/${journeyId}`;
  return [
    ['caseworker', `/persons/${personId}`],
    ['caseworker', `${base}/identification`],
    ['caseworker', `${base}/shelter`],
    ['caseworker', `${base}/shelter/placements`],
    ['caseworker', `${base}/care/services`],
    ['caseworker', `${base}/care/plans`],
    ['caseworker', `${base}/legal`],
    ['reintegration', `${base}/reintegration`],
    ['caseworker', `${base}/timeline`],
  ];
}

async function readAll(embedded: Embedded, personId: string, journeyId: string): Promise<string> {
  const texts: string[] = [];
  for (const [user, url] of readRoutes(personId, journeyId)) {
    const token = await demoToken(embedded.secrets.signingKey.privateJwk, user);
    texts.push(JSON.stringify(await call(embedded.app, token, 'GET', url)));
  }
  return texts.join('\n');
}

async function journeyEvents(store: EventStore, personId: string, journeyId: string) {
  const recorded: RecordedEvent[] = [];
  for (const stream of [
    `person-${personId}`,
    ...['identification', 'shelter', 'care', 'legal', 'reintegration'].map(
      (service) => `${service}-${journeyId}`,
    ),
  ]) {
    for await (const event of store.readStream(stream)) recorded.push(event);
  }
  return recorded;
}

/** The facts that must survive: audit findings and the journey's summary, without any name. */
async function facts(embedded: Embedded, personId: string, journeyId: string) {
  const evaluation = auditJourney({
    journeyId,
    recorded: await journeyEvents(embedded.store, personId, journeyId),
    profiles: profilesOf(config),
    asOf: new Date(Date.now() + 60_000).toISOString(),
  });
  const token = (user: string): Promise<string> =>
    demoToken(embedded.secrets.signingKey.privateJwk, user);
  await embedded.projections.whenCaughtUp();
  const summary = await call(
    embedded.app,
    await token('caseworker'),
    'GET',
    `/journeys/${journeyId}/summary`,
  );
  const indicators = await call(
    embedded.app,
    await token('analyst'),
    'GET',
    '/analytics/indicators',
  );
  return {
    findings: evaluation?.findings.map((finding) => [
      finding.ruleId,
      finding.reason,
      finding.severity,
    ]),
    phase: summary.phase,
    // The same cohort statistics; only the time they were computed at moves.
    indicators: JSON.stringify(indicators.indicators),
  };
}

/** The workflow on an app of its own, over the embedded store and key file. */
async function erasureApp(embedded: Embedded): Promise<{
  app: ServiceApp;
  runtime: ErasureRuntime;
  keys: CachingKeyStore;
}> {
  const keys = new CachingKeyStore(
    new SqliteKeyStore({
      file: join(folder, 'keys.sqlite'),
      masterKey: parseMasterKey(embedded.secrets.masterKey),
    }),
  );
  const app = await createServiceApp({
    name: 'erasure',
    version: 'test',
    logger: logStream,
    authenticator: createAuthenticator(
      { publicJwk: embedded.secrets.signingKey.publicJwk },
      // The embedded process's demo issuer and audience.
      { issuer: 'waypoint-embedded', audience: 'waypoint', maxLifetimeSeconds: 3_600 },
    ),
    rateLimit: false,
    readiness: () => Promise.resolve(true),
  });
  const runtime = await registerErasure(app, {
    store: embedded.store,
    cipher: new FieldCipher(keys),
    blindIndex: BlindIndex.fromConfig(embedded.secrets.blindIndexKey),
    directory: organisationDirectory(embedded.store),
    persons: personIndex(embedded.store).start(),
    now: () => new Date(),
    newId: v7,
    breakGlassMinutes: 60,
    erasure: {
      keys,
      localServices: ['identification'],
      purge: keyCachePurge(keys),
      retention: [],
      intervalMs: 0,
    },
  });
  await app.ready();
  return { app, runtime, keys };
}

const urlOf = (url: string | URL | Request): string =>
  typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;

describe('erasing a person reaches every copy', () => {
  it('leaves no canary readable anywhere, and the facts intact', async () => {
    // 1. Record the person through every service, and read it back.
    const first = await startEmbedded(config, logStream);
    const ids = { personId: '', journeyId: '' };
    let before: Awaited<ReturnType<typeof facts>>;
    try {
      Object.assign(ids, await seed(first));
      const { personId, journeyId } = ids;
      await first.projections.whenCaughtUp();
      const readable = await readAll(first, personId, journeyId);
      for (const canary of canaries) expect(readable, canary).toContain(canary);
      before = await facts(first, personId, journeyId);
      expect(before.findings?.length).toBeGreaterThan(0);

      // 2. Erase: the DPO asks; identification confirms in its process, the others over HTTP.
      const erasure = await erasureApp(first);
      try {
        const dpo = await demoToken(first.secrets.signingKey.privateJwk, 'dpo');
        await http(erasure.app)
          .post('/erasure-requests', {
            personId,
            reasonCode: 'data_subject_request',
            scope: 'all',
          })
          .as(await demoToken(first.secrets.signingKey.privateJwk, 'caseworker'))
          .expectProblem(403, 'FORBIDDEN');
        const requested = await http(erasure.app)
          .post('/erasure-requests', { personId, reasonCode: 'data_subject_request', scope: 'all' })
          .as(dpo)
          .expect(201);
        const { requestId } = requested.body as { requestId: string };
        await erasure.runtime.duties.run();
        const admin = await demoToken(first.secrets.signingKey.privateJwk, 'admin');
        const coordinator = httpErasureCoordinator({
          baseUrl: 'http://identification',
          token: () => Promise.resolve(admin),
          fetch: async (url, init) => {
            const response = await erasure.app.inject({
              method: init?.method === 'POST' ? 'POST' : 'GET',
              url: urlOf(url).replace('http://identification', ''),
              headers: init?.headers as Record<string, string>,
              ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
            });
            return new Response(response.body, {
              status: response.statusCode,
              headers: { 'content-type': String(response.headers['content-type']) },
            });
          },
        });
        for (const service of [
          'shelter',
          'care',
          'legal',
          'reintegration',
          'journey',
          'audit',
          'analytics',
        ] as const) {
          expect(await confirmPendingErasures(coordinator, service, keyCachePurge(undefined))).toBe(
            1,
          );
        }
        const status = await http(erasure.app)
          .get(`/erasure-requests/${requestId}`)
          .as(dpo)
          .expect(200);
        expect(status.body).toMatchObject({ status: 'completed', waitingFor: [] });

        // The DPO's access export after the erasure: values marked erased, no canary.
        const exported = await http(erasure.app)
          .get(`/persons/${personId}/export`)
          .as(dpo)
          .expect(200);
        expect(scanForCanaries('access export', exported.text, canaries)).toEqual([]);
        expect(exported.text).toContain('"$hidden":"erased"');
      } finally {
        await erasure.app.close();
        await erasure.keys.close();
      }
    } finally {
      await first.close();
    }

    // 3. After a restart (no cached key), every read route shows the values as erased.
    const second = await startEmbedded(config, logStream);
    const { personId, journeyId } = ids;
    let hits: CanaryHit[] = [];
    try {
      await second.projections.whenCaughtUp();
      for (const [user, url] of readRoutes(personId, journeyId)) {
        const token = await demoToken(second.secrets.signingKey.privateJwk, user);
        const text = JSON.stringify(await call(second.app, token, 'GET', url));
        expect(scanForCanaries(url, text, canaries), url).toEqual([]);
      }
      const person = await call(
        second.app,
        await demoToken(second.secrets.signingKey.privateJwk, 'caseworker'),
        'GET',
        `/persons/${personId}`,
      );
      expect(person.identity).toEqual({ $hidden: 'erased', category: 'identity' });
      const timeline = JSON.stringify(
        await call(
          second.app,
          await demoToken(second.secrets.signingKey.privateJwk, 'caseworker'),
          'GET',
          `/journeys/${journeyId}/timeline`,
        ),
      );
      expect(timeline).toContain('"$hidden":"erased"');

      // 4. Facts survive: the same findings, the same summary, the same indicators.
      expect(await facts(second, personId, journeyId)).toEqual(before);

      // 5. No ciphertext of the person decrypts any more, in any event of the store.
      const cipher = new FieldCipher(
        new SqliteKeyStore({
          file: join(folder, 'keys.sqlite'),
          masterKey: parseMasterKey(second.secrets.masterKey),
        }),
      );
      let fields = 0;
      for await (const event of second.store.readAll()) {
        for (const field of encryptedFieldsOf(event.data)) {
          if (field.subject !== personId) continue;
          fields += 1;
          expect(await cipher.decrypt(field, event.id)).toEqual({ ok: false, reason: 'erased' });
        }
      }
      expect(fields).toBeGreaterThanOrEqual(canaries.length - 1);

      // 6. Every table of the read-model database, row by row.
      const tables = await second.projections.db.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
      );
      expect(tables.rows.length).toBeGreaterThan(3);
      for (const { schema, name } of tables.rows) {
        const rows = await second.projections.db.query<{ row: string }>(
          `SELECT row_to_json(t)::text AS row FROM "${schema}"."${name}" t`,
        );
        hits.push(
          ...scanForCanaries(`${schema}.${name}`, rows.rows.map((r) => r.row).join('\n'), canaries),
        );
      }

      // 7. The analytics export.
      const csv = await second.app.inject({
        method: 'GET',
        url: '/analytics/exports/ctdc.csv',
        headers: {
          authorization: `Bearer ${await demoToken(second.secrets.signingKey.privateJwk, 'analyst')}`,
        },
      });
      hits.push(...scanForCanaries('analytics export', csv.body, canaries));
    } finally {
      await second.close();
    }

    // 8. Every table of the SQLite event store, and every file of the data folder, byte for byte.
    const db = new Database(join(folder, 'events.sqlite'), { readonly: true });
    try {
      const names = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all();
      expect(names.length).toBeGreaterThan(0);
      for (const { name } of names) {
        const rows = db.prepare(`SELECT * FROM "${name}"`).all();
        hits.push(...scanForCanaries(`events.sqlite ${name}`, JSON.stringify(rows), canaries));
      }
    } finally {
      db.close();
    }
    hits = [...hits, ...scanFolderForCanaries(folder, canaries)];

    // 9. The captured logs of every process.
    hits.push(...scanForCanaries('logs', logs.join(''), canaries));
    expect(logs.length).toBeGreaterThan(0);

    expect(hits).toEqual([]);
  });
});
