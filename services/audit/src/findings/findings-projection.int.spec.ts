import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import { createPostgresDatabase, replay, type SqlDatabase } from '@waypoint/projections';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compliantChildReturnJourney, NL_PROFILE } from '../testing/journeys.js';
import { findingsProjection, sweepFindings } from './findings-projection.js';
import { listAlerts, listFindings } from './findings-queries.js';

/** The findings read model on real PostgreSQL, fed in batches as the engine would. */
const { postgresAdminUrl } = inject('services');

describe.skipIf(postgresAdminUrl === null)('the findings read model', () => {
  let database: TestDatabase;
  let db: SqlDatabase;
  const projection = findingsProjection({ profiles: [NL_PROFILE] });

  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_audit');
    db = createPostgresDatabase(database.url);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  /** A child whose guardian came late, and a detention later retracted; events in record order. */
  function scenario() {
    const built = compliantChildReturnJourney({ guardianAt: '2025-03-03T09:11:00Z' });
    const { journey } = built;
    const detention = journey.legal({
      type: 'DetentionStarted',
      data: {
        detentionId: journey.id(),
        actingBody: { type: 'Police', name: 'Police unit' },
        occurredOn: '2025-03-20',
        kind: 'criminal',
      },
    });
    journey.legal(
      {
        type: 'EventRetracted',
        data: { retractedEventId: detention, reasonCode: 'wrong-journey' },
      },
      '2025-03-25T10:00:00Z',
    );
    const events = [...journey.recorded].sort((a, b) =>
      a.metadata.recordedAt.localeCompare(b.metadata.recordedAt),
    );
    return { ...built, detention, events };
  }

  it('records findings as they appear, resolves them when corrected, and alerts on new breaches', async () => {
    const { journey, childIds, detention, events } = scenario();
    const schema = await replay(db, projection, events, 1);

    const open = await listFindings(db, schema, { journeyId: journey.journeyId });
    expect(open.map((finding) => [finding.ruleId, finding.reason])).toEqual([
      ['ID-02', 'guardian_late'],
    ]);
    expect(open[0]?.evidenceEventIds).toEqual([childIds.unaccompanied, childIds.guardian]);

    const all = await listFindings(db, schema, {
      journeyId: journey.journeyId,
      includeResolved: true,
    });
    const retracted = all.find((finding) => finding.ruleId === 'ID-01');
    expect(retracted?.evidenceEventIds).toEqual([childIds.uncertainty, detention]);
    expect(retracted?.resolvedAt).toBe('2025-03-25T10:00:00.000Z');

    const alerts = await listAlerts(db, schema, {});
    // Recorded one by one: the guardian was missing until recorded late, each a new breach.
    expect(alerts.map((alert) => [alert.ruleId, alert.reason])).toEqual([
      ['ID-02', 'guardian_missing'],
      ['ID-02', 'guardian_late'],
      ['ID-01', 'presumed_child_detained'],
    ]);
  });

  it('gives the same open findings whatever the batch size', async () => {
    const { journey, events } = scenario();
    const one = await replay(db, projection, events, 1);
    const whole = await replay(db, projection, events);
    const shape = async (schema: string) =>
      (await listFindings(db, schema, { journeyId: journey.journeyId })).map(
        ({ detectedAt: _detected, resolvedAt: _resolved, ...finding }) => finding,
      );
    expect(await shape(one)).toEqual(await shape(whole));
  });

  it('a sweep at a later time adds the findings that only the passing of time creates', async () => {
    const { journey } = compliantChildReturnJourney();
    // Only the first weeks are known: the six-month review is not due yet.
    const early = journey.recorded.filter((event) => event.metadata.occurredAt < '2025-03-02');
    const schema = await replay(db, projection, early);
    expect(await listFindings(db, schema, { journeyId: journey.journeyId })).toEqual([]);
    await sweepFindings(db, schema, '2025-06-01T00:00:00.000Z', [NL_PROFILE]);
    const swept = await listFindings(db, schema, { journeyId: journey.journeyId });
    expect(swept.map((finding) => finding.ruleId)).toContain('AS-07');
  });
});
