import { deadLetterTopic, INTEGRATION_TOPIC, serviceTopic } from '@waypoint/bus';
import type { Role } from '@waypoint/contracts';
import { FieldCipher, parseMasterKey, PostgresKeyStore } from '@waypoint/privacy';
import { REQUIRE_SERVICES } from '@waypoint/testing';
import pg from 'pg';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  encryptedFieldsOf,
  newCanaries,
  scanForCanaries,
  type CanaryHit,
} from '../erasure/canary-scan.js';
import {
  captureLogs,
  eventually,
  PARTICIPANTS,
  SERVICES,
  startCluster,
  type CapturedLogs,
  type Cluster,
  type Name,
} from './support.js';
import { readTopics, type TopicMessage } from './topics.js';

/**
 * The verification of an erasure in the distributed mode: eight processes, eight databases, one
 * key store, Kafka between them. A person whose personal fields hold unique canaries is recorded
 * through the five write services and read back; a DPO erases them; each service's erasure duty
 * runs once (identification in process, the seven others over HTTP); then every copy is scanned:
 * every message of every topic, every row of every database, every log line, every read route.
 */

const { postgresAdminUrl, kafkaBrokers } = inject('services');

if (REQUIRE_SERVICES && (!postgresAdminUrl || !kafkaBrokers))
  throw new Error('WAYPOINT_REQUIRE_SERVICES=1: the erasure suite needs PostgreSQL and Kafka');

const canaries = newCanaries(10, 'K');
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
  planSummary,
] = canaries as [string, string, string, string, string, string, string, string, string, string];

/** Every topic a relay or a consumer writes. */
const TOPICS = [...SERVICES.map((name) => serviceTopic(name)), INTEGRATION_TOPIC].flatMap(
  (topic) => [topic, deadLetterTopic(topic)],
);

const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

/** Finds a canary as text, and as the hex PostgreSQL shows a bytea in. */
function scanText(source: string, text: string): CanaryHit[] {
  const hex = canaries.map((canary) => Buffer.from(canary, 'utf8').toString('hex'));
  return [
    ...scanForCanaries(source, text, canaries),
    ...scanForCanaries(source, text.toLowerCase(), hex).map((hit) => ({
      source: `${hit.source} (hex)`,
      canary: canaries[hex.indexOf(hit.canary)] ?? hit.canary,
    })),
  ];
}

function scanMessages(messages: readonly TopicMessage[]): CanaryHit[] {
  return messages.flatMap((message) => {
    const source = `${message.topic}/${String(message.partition)}@${message.offset}`;
    return [
      ...scanForCanaries(`${source} key`, message.key, canaries),
      ...scanForCanaries(`${source} value`, message.value, canaries),
      ...scanForCanaries(`${source} headers`, message.headers, canaries),
    ];
  });
}

/** The encrypted fields of the person in the event messages, with the id of their event. */
function personFields(messages: readonly TopicMessage[], personId: string) {
  return messages.flatMap((message) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.value.toString('utf8'));
    } catch {
      return [];
    }
    const eventId = (parsed as { id?: unknown } | null)?.id;
    if (typeof eventId !== 'string') return [];
    return encryptedFieldsOf(parsed)
      .filter((field) => field.subject === personId)
      .map((field) => ({ field, eventId, topic: message.topic }));
  });
}

/** Every row of every table of a database, as JSON text (a bytea as hex). */
async function dumpDatabase(url: string): Promise<{ tables: number; text: string }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
    );
    const texts: string[] = [];
    for (const { schema, name } of tables) {
      const { rows } = await client.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${schema}"."${name}" t`,
      );
      texts.push(`${schema}.${name}\n${rows.map((r) => r.row).join('\n')}`);
    }
    return { tables: tables.length, text: texts.join('\n') };
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresAdminUrl || !kafkaBrokers)(
  'erasing a person in the distributed mode reaches every copy',
  () => {
    const logs = new Map<Name, CapturedLogs>(SERVICES.map((name) => [name, captureLogs()]));
    let started: Cluster | undefined;
    const cluster = (): Cluster => {
      if (!started) throw new Error('the services did not start');
      return started;
    };

    async function read(name: Name, roles: readonly Role[], path: string): Promise<string> {
      const response = await cluster().call(name, 'GET', path, roles);
      expect(response.status, `${name} GET ${path}: ${response.text}`).toBe(200);
      return response.text;
    }

    /**
     * Every read route of the journey, with a user allowed to read it, and whether it shows a
     * personal field (the placements show the shelter and the dates only).
     */
    function readRoutes(personId: string, journeyId: string): [Name, Role[], string, boolean][] {
      const base = `/journeys/${journeyId}`;
      return [
        ['identification', ['caseworker'], `/persons/${personId}`, true],
        ['identification', ['caseworker'], `${base}/identification`, true],
        ['shelter', ['caseworker'], `${base}/shelter`, true],
        ['shelter', ['caseworker'], `${base}/shelter/placements`, false],
        ['care', ['caseworker'], `${base}/care/services`, true],
        ['care', ['caseworker'], `${base}/care/plans`, true],
        ['legal', ['caseworker'], `${base}/legal`, true],
        ['reintegration', ['reintegration_officer'], `${base}/reintegration`, true],
        ['journey', ['caseworker'], `${base}/timeline`, true],
      ];
    }

    /** A person and their journey, with a canary in a personal field of each write service. */
    async function seed(): Promise<{ personId: string; journeyId: string }> {
      const { created } = cluster();
      const { personId } = (await created('identification', '/persons', {
        identity: { givenName, familyName, birthDate: '1993-03-04' },
        gender: 'Feminine',
        ageBand: '30-38',
        child: 'no',
        citizenship: ['RO'],
        languages: ['ro'],
      })) as { personId: string };
      const { journeyId } = (await created('identification', '/journeys', {
        personId,
        jurisdiction: 'NL',
      })) as { journeyId: string };
      const base = `/journeys/${journeyId}`;
      await created('identification', `${base}/first-contact`, {
        channel: 'outreach',
        location: contactPlace,
      });
      await created('identification', `${base}/reasonable-grounds`, {
        outcome: 'positive',
        decidingBody: { type: 'NGO', name: 'Harbour Outreach' },
        reasonCodes: ['indicators_present'],
        rationale,
        legalBasis: 'CoE Convention Art. 10(2)',
      });
      const consents = [v7(), v7()];
      for (const [index, scope] of ['services', 'anonymous_reporting'].entries()) {
        await created('identification', `${base}/consents`, {
          consentId: consents[index],
          scope,
          givenBy: 'self',
          informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
        });
      }
      // The write services decide on the consents they learnt from waypoint.identification.v1.
      for (const name of ['shelter', 'care', 'legal', 'reintegration'] as const) {
        await eventually(async () => {
          const known = (await cluster().service(name).journeyFacts?.view.current())?.get(
            journeyId,
          );
          expect(known?.consents.map((consent) => consent.consentId).sort()).toEqual(
            [...consents].sort(),
          );
        });
      }
      const { shelterId } = (await created(
        'shelter',
        '/shelters',
        {
          name: `Erasure test shelter ${v7()}`,
          type: 'emergency',
          capacity: 20,
          childOnly: false,
          adultsOnly: false,
          secure: false,
          country: 'NL',
          address: { line1: 'Synthetic quay 12', postalCode: '1000 AA', city: 'Harbourtown' },
        },
        ['supervisor'],
      )) as { shelterId: string };
      await created('shelter', `${base}/shelter/admissions`, { shelterId });
      await created('shelter', `${base}/shelter/risk-assessments`, {
        level: 'medium',
        risks: ['contact_with_exploiters'],
        notes: shelterNotes,
      });
      await created('care', `${base}/care/deliveries`, {
        careCode: 'emergency_medical',
        provider: { name: 'City Health Clinic', type: 'HealthServiceOrganisation' },
        language: 'ro',
        interpreterUsed: true,
        deliveredAt: daysAgo(2),
        vitalInterest: true,
        clinicalDetails: clinical,
      });
      await created('care', `${base}/care/plans`, {
        summary: planSummary,
        objectives: [{ careCode: 'emergency_medical' }],
      });
      await created('legal', `${base}/legal/detentions`, {
        actingBody: { type: 'ImmigrationAuthority', name: 'Immigration Service (synthetic)' },
        occurredOn: daysAgo(3).slice(0, 10),
        kind: 'immigration',
        place: detentionPlace,
      });
      await created(
        'reintegration',
        `${base}/reintegration/risk-assessments`,
        {
          scope: 'return',
          level: 'low',
          assessedBy: { type: 'NGO', name: 'Harbour Outreach' },
          countryOfReturn: 'RO',
          narrative,
          occurredAt: daysAgo(1),
        },
        ['reintegration_officer'],
      );
      await created(
        'reintegration',
        `${base}/reintegration/reviews`,
        {
          reviewId: v7(),
          method: 'phone',
          scores: { economic: 0.3, social: 0.5, psychosocial: 0.4 },
          nextReviewDue: daysAgo(-90).slice(0, 10),
          notes: reviewNotes,
        },
        ['reintegration_officer'],
      );
      return { personId, journeyId };
    }

    /** Every event recorded so far is on Kafka. */
    async function relaysCaughtUp(): Promise<void> {
      for (const name of SERVICES) await cluster().service(name).relay?.whenCaughtUp();
    }

    /** A cipher with no cache over the shared key store: what the keys decrypt now. */
    async function freshCipher(): Promise<{ cipher: FieldCipher; close(): Promise<void> }> {
      const keys = cluster().databases.get('keys');
      if (!keys) throw new Error('no key store database');
      const store = await PostgresKeyStore.open({
        connectionString: keys.url,
        masterKey: parseMasterKey(cluster().masterKey),
        migrate: false,
      });
      return { cipher: new FieldCipher(store), close: () => store.close() };
    }

    beforeAll(async () => {
      if (!postgresAdminUrl || !kafkaBrokers) return;
      started = await startCluster({
        postgresAdminUrl,
        kafkaBrokers,
        logs: (name) => logs.get(name)?.stream ?? captureLogs().stream,
      });
    }, 600_000); // may wait for the connections another cluster holds (docs/testing.md)

    afterAll(async () => {
      await started?.close();
    }, 60_000);

    it('leaves no canary in any topic, database, log or read, and no ciphertext that decrypts', async () => {
      const brokers = kafkaBrokers ?? [];
      const { personId, journeyId } = await seed();

      // 1. Read back as a caseworker: every canary is there.
      await eventually(async () => {
        const texts: string[] = [];
        for (const [name, roles, path] of readRoutes(personId, journeyId))
          texts.push(await read(name, roles, path));
        const readable = texts.join('\n');
        for (const canary of canaries) expect(readable, canary).toContain(canary);
      });

      // 2. Before the erasure: on Kafka the person's data is ciphertext only, and it holds them all.
      await relaysCaughtUp();
      const before = await readTopics(brokers, TOPICS);
      expect(scanMessages(before)).toEqual([]);
      const live = await freshCipher();
      try {
        const decrypted: string[] = [];
        for (const { field, eventId } of personFields(before, personId)) {
          const result = await live.cipher.decrypt(field, eventId);
          expect(result.ok).toBe(true);
          if (result.ok) decrypted.push(JSON.stringify(result.value));
        }
        for (const canary of canaries) expect(decrypted.join('\n'), canary).toContain(canary);
      } finally {
        await live.close();
      }

      // 3. The DPO erases the person; each service's duty runs once.
      const { call } = cluster();
      const requested = await call(
        'identification',
        'POST',
        '/erasure-requests',
        ['data_protection_officer'],
        { personId, reasonCode: 'data_subject_request', scope: 'all' },
      );
      expect(requested.status, requested.text).toBe(201);
      const { requestId } = requested.body as { requestId: string };
      expect((await cluster().identification().erasure.duties.run()).confirmed).toBe(1);
      const waiting = await call('identification', 'GET', `/erasure-requests/${requestId}`, [
        'data_protection_officer',
      ]);
      expect(waiting.body).toMatchObject({ status: 'awaiting_confirmations' });
      expect([...(waiting.body.waitingFor as string[])].sort()).toEqual([...PARTICIPANTS].sort());
      for (const name of PARTICIPANTS)
        expect(await cluster().participant(name).erasure.run(), name).toBe(1);
      await eventually(async () => {
        const status = await call('identification', 'GET', `/erasure-requests/${requestId}`, [
          'data_protection_officer',
        ]);
        expect(status.body).toMatchObject({ status: 'completed', waitingFor: [] });
      });
      // Nothing waits for any service any more (the workflow's ledger follows the store).
      for (const name of PARTICIPANTS)
        await eventually(async () => {
          expect(await cluster().participant(name).erasure.run(), name).toBe(0);
        });
      const recorded: string[] = [];
      for await (const event of cluster().identification().store.readStream(`erasure-${requestId}`))
        recorded.push(event.type);
      expect(recorded).toContain('PersonKeysDestroyed');
      expect(recorded.at(-1)).toBe('ErasureCompleted');

      // 4. Every read route shows the person's fields as erased.
      for (const [name, roles, path, personal] of readRoutes(personId, journeyId)) {
        const text = await read(name, roles, path);
        expect(scanForCanaries(path, text, canaries), `${name} ${path}`).toEqual([]);
        if (personal) expect(text, `${name} ${path}`).toContain('"$hidden":"erased"');
      }
      const person = await read('identification', ['caseworker'], `/persons/${personId}`);
      expect((JSON.parse(person) as { identity: unknown }).identity).toEqual({
        $hidden: 'erased',
        category: 'identity',
      });

      // 5. Every message of every topic: no canary, and nothing of the person decrypts.
      await relaysCaughtUp();
      const after = await readTopics(brokers, TOPICS);
      expect(after.length).toBeGreaterThanOrEqual(before.length);
      const hits: CanaryHit[] = scanMessages(after);
      const shredded = await freshCipher();
      try {
        const fields = personFields(after, personId);
        expect(fields.length).toBeGreaterThanOrEqual(canaries.length - 1);
        for (const { field, eventId, topic } of fields) {
          expect(await shredded.cipher.decrypt(field, eventId), `${topic} ${eventId}`).toEqual({
            ok: false,
            reason: 'erased',
          });
        }
      } finally {
        await shredded.close();
      }

      // 6. Every row of every table of every database, the key store's included.
      for (const [name, database] of cluster().databases) {
        const dump = await dumpDatabase(database.url);
        expect(dump.tables, name).toBeGreaterThan(0);
        hits.push(...scanText(`database ${name}`, dump.text));
      }

      // 7. The captured logs of every service.
      for (const [name, captured] of logs) {
        const text = captured.text();
        expect(text.length, `${name} logs`).toBeGreaterThan(0);
        hits.push(...scanText(`logs of ${name}`, text));
      }

      expect(hits).toEqual([]);
    }, 300_000);
  },
);
