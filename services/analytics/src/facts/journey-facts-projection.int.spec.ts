import type { RecordedEvent } from '@waypoint/eventstore';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  replay,
  type SqlDatabase,
} from '@waypoint/projections';
import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { syntheticJourneyEvents } from '../testing/synthetic-journeys.js';
import { coarseData } from './domain/coarse-data.js';
import { foldJourney } from './domain/fold-journey.js';
import {
  JOURNEY_SOURCES,
  type CoarseEvent,
  type JourneyFacts,
  type PersonCodes,
} from './domain/journey-facts.js';
import { journeyFactsProjection, sqlFactsSource } from './journey-facts-projection.js';

const { postgresAdminUrl } = inject('services');

/** What the read model should hold: every journey folded in memory from the same events. */
function expectedFacts(events: readonly RecordedEvent[]): Map<string, JourneyFacts> {
  const persons = new Map<string, PersonCodes>();
  const journeys = new Map<string, CoarseEvent[]>();
  for (const event of events) {
    if (event.type === 'PersonRegistered') {
      const data = event.data as unknown as PersonCodes;
      persons.set(event.stream.slice('person-'.length), {
        gender: data.gender,
        ageBand: data.ageBand,
        child: data.child,
        citizenship: data.citizenship,
      });
      continue;
    }
    const source = JOURNEY_SOURCES.find((candidate) => event.stream.startsWith(`${candidate}-`));
    if (!source) continue;
    const journeyId = event.stream.slice(source.length + 1);
    journeys.set(journeyId, [
      ...(journeys.get(journeyId) ?? []),
      {
        eventId: event.id,
        source,
        type: event.type,
        occurredAt: event.metadata.occurredAt,
        data: coarseData(event.data) as Record<string, unknown>,
      },
    ]);
  }
  return new Map(
    [...journeys].map(([journeyId, list]) => {
      const personId = list.find((event) => event.type === 'JourneyOpened')?.data.personId;
      return [
        journeyId,
        foldJourney(
          journeyId,
          list,
          typeof personId === 'string' ? persons.get(personId) : undefined,
        ),
      ];
    }),
  );
}

async function factsIn(db: SqlDatabase, schema: string): Promise<Map<string, JourneyFacts>> {
  const rows = await sqlFactsSource(db, () => Promise.resolve(schema)).load({
    consentedOnly: false,
  });
  return new Map(rows.map((row) => [row.journeyId, row]));
}

function laterEvent(template: RecordedEvent, overrides: Partial<RecordedEvent>): RecordedEvent {
  return { ...template, ...overrides };
}

describe.skipIf(postgresAdminUrl === null)('the journey facts read model on PostgreSQL', () => {
  let database: TestDatabase;
  let db: SqlDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_analytics');
    db = createPostgresDatabase(database.url, 2);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('holds, batch after batch, the same facts as folding each journey in memory', async () => {
    const events = syntheticJourneyEvents(150, 7);
    const schema = await replay(db, journeyFactsProjection, events, 37);
    const stored = await factsIn(db, schema);
    const expected = expectedFacts(events);
    expect(stored.size).toBe(150);
    for (const [journeyId, facts] of expected) expect(stored.get(journeyId)).toEqual(facts);
    const reviews = [...stored.values()].flatMap((facts) => facts.reviews);
    expect(reviews.some((review) => review.situation === null)).toBe(true);
    expect(reviews.some((review) => (review.situation?.housing ?? null) !== null)).toBe(true);
  });

  it('never stores an encrypted value, not even as ciphertext', async () => {
    const schema = await replay(db, journeyFactsProjection, syntheticJourneyEvents(20, 8));
    const { rows } = await db.query<{ sealed: string }>(
      `SELECT (SELECT count(*) FROM ${schema}.events WHERE data::text LIKE '%$enc%')
            + (SELECT count(*) FROM ${schema}.facts WHERE facts::text LIKE '%$enc%')
            + (SELECT count(*) FROM ${schema}.persons WHERE codes::text LIKE '%$enc%') AS sealed`,
    );
    expect(Number(rows[0]?.sealed)).toBe(0);
  });

  it('takes in a person registered after the journey, and a later correction, which a reader then fetches', async () => {
    const events = syntheticJourneyEvents(1, 9);
    const registered = events.filter((event) => event.type === 'PersonRegistered');
    const journey = events.filter((event) => event.type !== 'PersonRegistered');
    const decision = journey.find((event) => event.type === 'ReasonableGroundsDecided');
    if (!decision) throw new Error('the synthetic journey has a decision');
    const retraction = laterEvent(decision, {
      id: '0193dfff-0000-7000-8000-000000000001',
      type: 'EventRetracted',
      data: { retractedEventId: decision.id, reasonCode: 'recorded-in-error' },
      position: '999999999999',
    });
    const schema = await replay(db, journeyFactsProjection, [...journey, ...registered], 1);
    const source = sqlFactsSource(db, () => Promise.resolve(schema));
    const [before] = await source.load({ consentedOnly: false });
    expect(before?.gender).toBe((registered[0]?.data as { gender: string }).gender);
    expect(before?.reasonableGroundsAt).not.toBeNull();

    await db.transaction((tx) => journeyFactsProjection.apply(tx, [retraction], schema));
    const after = await source.load({ consentedOnly: false });
    expect(after).toHaveLength(1);
    expect(after[0]?.reasonableGroundsAt).toBeNull();
    expect(after[0]?.reasonableGroundsOutcome).toBeNull();
  });
});

describe('the journey facts read model in PGlite', () => {
  it('is the same SQL, with the same result', async () => {
    const db = await createPgliteDatabase();
    try {
      const events = syntheticJourneyEvents(30, 11);
      const schema = await replay(db, journeyFactsProjection, events, 50);
      const stored = await factsIn(db, schema);
      expect(stored).toEqual(expectedFacts(events));
    } finally {
      await db.close();
    }
  });
});
