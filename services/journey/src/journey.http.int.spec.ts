import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import type { AppendOptions, NewEvent } from '@waypoint/eventstore';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, journeyWorld, type JourneyWorld } from './testing/test-world.js';

const DAY_MS = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString();
const dayOf = (instant: string): string => instant.slice(0, 10);
const police = { type: 'Police', name: 'Harbour police' };
const immigration = { type: 'ImmigrationAuthority', name: 'Immigration Service' };

interface Entry {
  type: string;
  service: string;
  occurredAt: string;
  recordedAt: string;
  recordedBy: { userId: string; orgId: string };
  data: Record<string, unknown>;
}

describe('the journey service over HTTP', () => {
  let world: JourneyWorld;
  let caseworker: string;
  beforeEach(async () => {
    world = await journeyWorld();
    caseworker = await world.token(['caseworker']);
  });
  afterEach(async () => {
    await world.close();
  });

  const get = (url: string) => http(world.app).get(url);

  /** A journey with events in three services, recorded out of the order they happened. */
  async function recordedJourney() {
    const { journeyId } = await world.openJourney(ORGS.outreach, ago(40));
    await world.record('legal', journeyId, [
      {
        type: 'RecoveryReflectionPeriodGranted',
        data: {
          periodId: v7(),
          actingBody: immigration,
          occurredOn: dayOf(ago(20)),
          start: dayOf(ago(20)),
          end: dayOf(ago(-10)),
          notes: 'Granted after the interview in the harbour office',
        },
        occurredAt: `${dayOf(ago(20))}T00:00:00.000Z`,
      },
    ]);
    await world.record('identification', journeyId, [
      {
        type: 'ReasonableGroundsDecided',
        data: {
          outcome: 'positive',
          decidingBody: police,
          reasonCodes: ['indicators_present'],
          rationale: 'Statement consistent with the indicators observed',
          legalBasis: 'CETS 197 Art. 10(2)',
        },
        occurredAt: ago(30),
      },
    ]);
    return journeyId;
  }

  it('shows the timeline across services in the order things happened, with when and by whom they were recorded', async () => {
    const journeyId = await recordedJourney();
    await world.caughtUp();
    const response = await get(`/journeys/${journeyId}/timeline`).as(caseworker).expect(200);
    const entries = (response.body as { entries: Entry[] }).entries;
    expect(entries.map((e) => [e.service, e.type])).toEqual([
      ['identification', 'JourneyOpened'],
      ['identification', 'ReasonableGroundsDecided'],
      ['legal', 'RecoveryReflectionPeriodGranted'],
    ]);
    expect(entries[1]?.recordedBy).toMatchObject({ userId: 'recorder', orgId: ORGS.outreach });
    expect(Date.parse(entries[1]?.recordedAt ?? '')).toBeGreaterThan(
      Date.parse(entries[2]?.recordedAt ?? ''),
    );
    // Personal values decrypted for a caseworker.
    expect(entries[1]?.data['rationale']).toBe('Statement consistent with the indicators observed');
    expect(entries[2]?.data['notes']).toBe('Granted after the interview in the harbour office');

    const byRecording = await get(`/journeys/${journeyId}/timeline?order=recorded`)
      .as(caseworker)
      .expect(200);
    expect((byRecording.body as { entries: Entry[] }).entries.map((e) => e.type)).toEqual([
      'JourneyOpened',
      'RecoveryReflectionPeriodGranted',
      'ReasonableGroundsDecided',
    ]);
  });

  it('decrypts only the categories a role may read, and records every read with the categories revealed', async () => {
    const journeyId = await recordedJourney();
    await world.caughtUp();
    const shelterStaff = await world.token(['shelter_staff']);
    const response = await get(`/journeys/${journeyId}/timeline`).as(shelterStaff).expect(200);
    const entries = (response.body as { entries: Entry[] }).entries;
    // Notes are readable by shelter staff; nothing legal is: the rationale is notes too.
    expect(entries[2]?.data['notes']).toBe('Granted after the interview in the harbour office');

    const records = await collect(world.store.readStream(`access-journey-${journeyId}`));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      type: 'PersonalDataRead',
      data: { subjectId: journeyId, route: 'GET /journeys/:journeyId/timeline' },
    });
    expect(records[0]?.data['categories']).toEqual(['notes']);
  });

  it('never logs a personal value it decrypts', async () => {
    const journeyId = await recordedJourney();
    await world.caughtUp();
    await get(`/journeys/${journeyId}/timeline`).as(caseworker).expect(200);
    expect(world.logs.join('\n')).not.toContain('harbour office');
    expect(world.logs.join('\n')).not.toContain('Statement consistent');
  });

  it('tells an unrelated organisation the journey does not exist, and follows referrals as they start and end', async () => {
    const journeyId = await recordedJourney();
    const referralId = v7();
    await world.record('identification', journeyId, [
      {
        type: 'ReferralMade',
        data: {
          referralId,
          toOrgId: ORGS.shelter,
          reason: 'AdditionalServicesRequired',
          services: ['Health'],
        },
      },
    ]);
    await world.caughtUp();
    const shelterCaseworker = await world.token(['caseworker'], ORGS.shelter);
    await get(`/journeys/${journeyId}/summary`)
      .as(await world.token(['caseworker'], ORGS.unrelated))
      .expectProblem(404, 'NOT_FOUND');
    await get(`/journeys/${journeyId}/summary`)
      .as(shelterCaseworker)
      .expectProblem(404, 'NOT_FOUND');

    await world.record('identification', journeyId, [
      { type: 'ReferralAccepted', data: { referralId, byOrgId: ORGS.shelter } },
    ]);
    await world.caughtUp();
    await get(`/journeys/${journeyId}/summary`).as(shelterCaseworker).expect(200);

    await world.record('identification', journeyId, [
      { type: 'ReferralCompleted', data: { referralId } },
    ]);
    await world.caughtUp();
    await get(`/journeys/${journeyId}/summary`)
      .as(shelterCaseworker)
      .expectProblem(404, 'NOT_FOUND');
    // The data-protection officer sees every journey.
    await get(`/journeys/${journeyId}/summary`)
      .as(await world.token(['data_protection_officer'], ORGS.unrelated))
      .expect(200);
  });

  it('summarises phase, open risks and what is due', async () => {
    const journeyId = await recordedJourney();
    await world.record('shelter', journeyId, [
      {
        type: 'RiskAssessmentCompleted',
        data: {
          assessmentId: v7(),
          scope: 'safety',
          level: 'high',
          risks: ['traffickers_know_location'],
          assessedByOrgId: ORGS.outreach,
        },
      },
    ]);
    await world.record('identification', journeyId, [
      {
        type: 'AgeUncertaintyRecorded',
        data: { reasonsToBelieveChild: ['appearance'] },
        occurredAt: ago(3),
      },
    ]);
    await world.caughtUp();
    const response = await get(`/journeys/${journeyId}/summary`).as(caseworker).expect(200);
    expect(response.body).toMatchObject({
      journeyId,
      phase: 'recovery',
      jurisdiction: 'NL',
      identification: { reasonableGrounds: { outcome: 'positive' } },
      child: { presumed: true, guardianAppointedAt: null },
      risks: [{ kind: 'shelter-safety', level: 'high' }],
    });
    const due = (response.body as { due: { kind: string; dueOn: string; overdue: boolean }[] }).due;
    expect(due).toEqual([
      { kind: 'consent-missing', dueOn: dayOf(ago(40)), overdue: true },
      { kind: 'guardian-not-appointed', dueOn: dayOf(ago(2)), overdue: true },
      { kind: 'reflection-period-ends', dueOn: dayOf(ago(-10)), overdue: false },
    ]);
  });

  it('shows a journey as it was known at a time and as it had happened by then: a late-recorded decision makes the difference', async () => {
    const { journeyId } = await world.openJourney(ORGS.outreach, ago(10));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cut = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Recorded now, though it happened five days ago: before the cut.
    await world.record('identification', journeyId, [
      {
        type: 'ReasonableGroundsDecided',
        data: {
          outcome: 'positive',
          decidingBody: police,
          reasonCodes: [],
          legalBasis: 'CETS 197 Art. 10(2)',
        },
        occurredAt: ago(5),
      },
    ]);
    await world.caughtUp();
    const response = await get(`/journeys/${journeyId}/as-of?at=${encodeURIComponent(cut)}`)
      .as(caseworker)
      .expect(200);
    const body = response.body as {
      known: { phase: string; identification: { reasonableGrounds: unknown } };
      happened: { phase: string; identification: { reasonableGrounds: unknown } };
      recordedLater: Entry[];
    };
    expect(body.known.phase).toBe('identification');
    expect(body.known.identification.reasonableGrounds).toBeNull();
    expect(body.happened.phase).toBe('recovery');
    expect(body.happened.identification.reasonableGrounds).toMatchObject({ outcome: 'positive' });
    expect(body.recordedLater.map((e) => e.type)).toEqual(['ReasonableGroundsDecided']);

    // A day means its end: as of the day before the opening, nothing had happened or was known.
    await get(`/journeys/${journeyId}/as-of?at=${dayOf(ago(30))}`)
      .as(caseworker)
      .expectProblem(404, 'NOT_FOUND');
    await get(`/journeys/${journeyId}/as-of?at=yesterday`)
      .as(caseworker)
      .expectProblem(400, 'VALIDATION_FAILED');
  });

  it('searches by organisation, phase and due date, a page at a time', async () => {
    const journeys: string[] = [];
    for (let n = 0; n < 5; n += 1) journeys.push(await recordedJourney());
    const other = await world.openJourney(ORGS.unrelated);
    await world.caughtUp();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/journeys?phase=recovery&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(query).as(caseworker).expect(200)).body as {
        items: { journeyId: string; phase: string }[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.journeyId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...journeys].sort());
    expect(seen).not.toContain(other.journeyId);

    const dueSoon = (
      await get(`/journeys?dueBefore=${dayOf(ago(-30))}`)
        .as(caseworker)
        .expect(200)
    ).body as { items: unknown[] };
    expect(dueSoon.items).toHaveLength(5);
    const none = (await get(`/journeys?phase=closed`).as(caseworker).expect(200)).body as {
      items: unknown[];
    };
    expect(none.items).toEqual([]);
    await get('/journeys?cursor=bm90LWEtY3Vyc29y')
      .as(caseworker)
      .expectProblem(400, 'VALIDATION_FAILED');
    await get('/journeys?dueBefore=soon').as(caseworker).expectProblem(400, 'VALIDATION_FAILED');
    await get('/journeys')
      .as(await world.token(['analyst']))
      .expectProblem(403, 'FORBIDDEN');
  });
});

describe('when the access record cannot be written', () => {
  it('fails the read instead of answering without a record', async () => {
    class FailingAccessStore extends MemoryEventStore {
      override append(stream: string, events: readonly NewEvent[], options?: AppendOptions) {
        if (stream.startsWith('access-journey-')) return Promise.reject(new Error('disk full'));
        return super.append(stream, events, options);
      }
    }
    const world = await journeyWorld({ store: new FailingAccessStore() });
    try {
      const { journeyId } = await world.openJourney();
      await world.caughtUp();
      const response = await http(world.app)
        .get(`/journeys/${journeyId}/timeline`)
        .as(await world.token(['caseworker']))
        .expectProblem(500, 'INTERNAL');
      expect(JSON.stringify(response)).not.toContain('JourneyOpened');
    } finally {
      await world.close();
    }
  });
});
