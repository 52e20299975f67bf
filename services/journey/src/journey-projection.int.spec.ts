import { MemoryEventStore } from '@waypoint/eventstore/memory';
import type { RecordedEvent } from '@waypoint/eventstore';
import { collect } from '@waypoint/eventstore/contract';
import { createPgliteDatabase, replay, type SqlDatabase } from '@waypoint/projections';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyProjection } from './journey-projection.js';
import { DEFAULT_DUE_POLICY } from './summary/domain/due.js';

const JOURNEY = v7();
const ORG = '0193c000-0000-7000-8000-000000000001';

/** Given events, as the write services store them. */
async function givenEvents(): Promise<RecordedEvent[]> {
  const store = new MemoryEventStore();
  const meta = (occurredAt: string) => ({
    occurredAt,
    actor: { userId: 'u', role: 'caseworker', orgId: ORG },
    correlationId: 'c',
    causationId: 'c',
  });
  const decision = v7();
  await store.append(`identification-${JOURNEY}`, [
    {
      id: v7(),
      type: 'JourneyOpened',
      schemaVersion: 1,
      data: { journeyId: JOURNEY, personId: v7(), jurisdiction: 'NL', openedByOrgId: ORG },
      metadata: meta('2026-01-01T10:00:00.000Z'),
    },
    {
      id: decision,
      type: 'ReasonableGroundsDecided',
      schemaVersion: 1,
      data: { outcome: 'negative', reasonCodes: [] },
      metadata: meta('2026-01-05T10:00:00.000Z'),
    },
  ]);
  await store.append(`legal-${JOURNEY}`, [
    {
      id: v7(),
      type: 'RecoveryReflectionPeriodGranted',
      schemaVersion: 1,
      data: { periodId: v7(), start: '2026-01-05', end: '2026-02-20' },
      metadata: meta('2026-01-05T00:00:00.000Z'),
    },
  ]);
  // Recorded last, happened first: a late-recorded fact.
  await store.append(`shelter-${JOURNEY}`, [
    {
      id: v7(),
      type: 'RiskAssessmentCompleted',
      schemaVersion: 1,
      data: { level: 'high', risks: [] },
      metadata: meta('2026-01-02T09:00:00.000Z'),
    },
  ]);
  // A correction: the decision was positive.
  await store.append(`identification-${JOURNEY}`, [
    {
      id: v7(),
      type: 'EventAmended',
      schemaVersion: 1,
      data: {
        amendedEventId: decision,
        reasonCode: 'data-entry-error',
        replacement: { outcome: 'positive', reasonCodes: [] },
      },
      metadata: meta('2026-01-06T10:00:00.000Z'),
    },
  ]);
  return collect(store.readAll());
}

async function tables(db: SqlDatabase, schema: string) {
  const timeline = await db.query(
    `SELECT event_id, type, service FROM ${schema}.timeline ORDER BY occurred_at, event_id`,
  );
  const summaries = await db.query(
    `SELECT journey_id, summary, organisations, phase, next_due_on FROM ${schema}.summaries`,
  );
  return { timeline: timeline.rows, summaries: summaries.rows };
}

describe('the journey projection', () => {
  let db: SqlDatabase;
  let events: RecordedEvent[];
  beforeAll(async () => {
    db = await createPgliteDatabase();
    events = await givenEvents();
  });
  afterAll(async () => {
    await db.close();
  });

  it('given a journey across services with a late-recorded fact and a correction, holds its timeline and summary', async () => {
    const schema = await replay(db, journeyProjection(DEFAULT_DUE_POLICY), events);
    const { timeline, summaries } = await tables(db, schema);
    expect(timeline.map((row) => row['type'])).toEqual([
      'JourneyOpened',
      'RiskAssessmentCompleted',
      'RecoveryReflectionPeriodGranted',
      'ReasonableGroundsDecided',
      'EventAmended',
    ]);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      phase: 'recovery',
      organisations: [ORG],
      summary: {
        identification: { reasonableGrounds: { outcome: 'positive' } },
        risks: [{ kind: 'shelter-safety', level: 'high' }],
        reflectionPeriod: { end: '2026-02-20' },
      },
    });
  });

  it('gives the same tables whether the events come in one batch or one at a time', async () => {
    const projection = journeyProjection(DEFAULT_DUE_POLICY);
    const together = await tables(db, await replay(db, projection, events));
    const oneByOne = await tables(db, await replay(db, projection, events, 1));
    expect(oneByOne).toEqual(together);
  });

  it('changes nothing when a batch is applied twice', async () => {
    const projection = journeyProjection(DEFAULT_DUE_POLICY);
    const schema = await replay(db, projection, events);
    const before = await tables(db, schema);
    await db.transaction((tx) => projection.apply(tx, events, schema));
    const after = await tables(db, schema);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.summaries.map((row) => row['phase'])).toEqual(
      before.summaries.map((row) => row['phase']),
    );
  });
});
