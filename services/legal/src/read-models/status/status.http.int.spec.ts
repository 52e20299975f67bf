import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, type SqlDatabase } from '@waypoint/projections';
import { http } from '@waypoint/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from '../../testing/test-app.js';
import { readModelApp, type ReadModelApp } from '../testing/read-model-app.js';

const DAY_MS = 86_400_000;
const today = (): string => new Date().toISOString().slice(0, 10);
const inDays = (days: number): string =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
const immigration = { type: 'ImmigrationAuthority', name: 'Immigration Service' };

interface Ending {
  items: { journeyId: string; end: string; days: number; daysLeft: number }[];
  nextCursor: string | null;
}

describe('legal status over HTTP, from the read model', () => {
  let db: SqlDatabase;
  let writer: TestWorld;
  let reader: ReadModelApp;
  beforeAll(async () => {
    db = await createPgliteDatabase();
    const store = new MemoryEventStore();
    writer = await testWorld({ store });
    reader = await readModelApp(store, db);
  });
  afterAll(async () => {
    await reader.close();
    await writer.close();
    await db.close();
  });

  const write = () => http(writer.app);
  const read = () => http(reader.app);

  /** A journey of `org` with a reflection period from `start` to `end` days from today. */
  async function withPeriod(start: number, end: number, org: string = ORGS.outreach) {
    const { journeyId } = await writer.openJourney(org);
    const granted = await write()
      .post(`/journeys/${journeyId}/legal/reflection-periods`, {
        actingBody: immigration,
        occurredOn: inDays(Math.min(start, 0)),
        start: inDays(start),
        end: inDays(end),
        notes: 'Granted after the interview in the harbour office',
      })
      .as(await writer.token(['legal_advisor'], org))
      .expect(201);
    return { journeyId, periodId: (granted.body as { periodId: string }).periodId };
  }

  it('shows the period that counts, whether it is at least 30 days, and the days left today', async () => {
    const { journeyId, periodId } = await withPeriod(-10, 20);
    await write()
      .post(`/journeys/${journeyId}/legal/removal-orders`, {
        actingBody: immigration,
        occurredOn: inDays(-5),
        kind: 'return',
      })
      .as(await writer.token(['legal_advisor'], ORGS.outreach))
      .expect(201);
    await reader.caughtUp();
    const response = await read()
      .get(`/journeys/${journeyId}/legal/status`)
      .as(await reader.token(['legal_advisor'], ORGS.outreach))
      .expect(200);
    expect(response.body).toMatchObject({
      journeyId,
      today: today(),
      reflectionPeriod: {
        periodId,
        start: inDays(-10),
        end: inDays(20),
        days: 30,
        atLeast30Days: true,
        status: 'running',
        daysLeft: 20,
        endedOn: null,
      },
      pendingRemovalOrders: [{ kind: 'return', issuedOn: inDays(-5) }],
      detention: { open: false },
      residencePermit: null,
    });
    expect(response.text).not.toContain('harbour office');
    const records = await collect(writer.store.readStream(`access-legal-${journeyId}`));
    expect(records.map((record) => record.data['route'])).toEqual([
      'GET /journeys/:journeyId/legal/status',
    ]);
  });

  it('says a period shorter than 30 days is short, and an ended one has no days left', async () => {
    const { journeyId, periodId } = await withPeriod(-30, -10);
    await write()
      .post(`/journeys/${journeyId}/legal/reflection-periods/${periodId}/end`, {
        actingBody: immigration,
        occurredOn: inDays(-12),
        reason: 'non_cooperation',
      })
      .as(await writer.token(['legal_advisor'], ORGS.outreach))
      .expect(201);
    await reader.caughtUp();
    const response = await read()
      .get(`/journeys/${journeyId}/legal/status`)
      .as(await reader.token(['caseworker'], ORGS.outreach))
      .expect(200);
    expect(response.body).toMatchObject({
      reflectionPeriod: {
        days: 20,
        atLeast30Days: false,
        status: 'ended',
        daysLeft: 0,
        endedOn: inDays(-12),
        endReason: 'non_cooperation',
      },
    });
  });

  it('answers 404 to an organisation that does not see the journey, and 403 to a role that does not read legal status', async () => {
    const { journeyId } = await withPeriod(-1, 40);
    await reader.caughtUp();
    await read()
      .get(`/journeys/${journeyId}/legal/status`)
      .as(await reader.token(['legal_advisor'], ORGS.unrelated))
      .expectProblem(404, 'JOURNEY_NOT_FOUND');
    for (const url of [
      `/journeys/${journeyId}/legal/status`,
      `/legal/reflection-periods/ending?before=${inDays(10)}`,
    ])
      await read()
        .get(url)
        .as(await reader.token(['care_provider'], ORGS.outreach))
        .expectProblem(403, 'FORBIDDEN');
  });

  it("lists the caller's journeys whose period ends before a day, earliest first, a page at a time", async () => {
    const later = await withPeriod(-5, 400);
    const sooner = await withPeriod(-5, 300);
    const earliest = await withPeriod(-40, 250);
    const beyond = await withPeriod(-5, 450);
    const elsewhere = await withPeriod(-5, 301, ORGS.unrelated);
    const endedEarly = await withPeriod(-5, 200);
    await write()
      .post(
        `/journeys/${endedEarly.journeyId}/legal/reflection-periods/${endedEarly.periodId}/end`,
        {
          actingBody: immigration,
          occurredOn: inDays(0),
          reason: 'residence_permit_granted',
        },
      )
      .as(await writer.token(['legal_advisor'], ORGS.outreach))
      .expect(201);
    await reader.caughtUp();
    const token = await reader.token(['caseworker'], ORGS.outreach);
    const url = `/legal/reflection-periods/ending?before=${inDays(401)}&limit=2`;
    const items: Ending['items'] = [];
    let page = (await read().get(url).as(token).expect(200)).body as Ending;
    expect(page.items).toHaveLength(2);
    for (;;) {
      items.push(...page.items);
      if (page.nextCursor === null) break;
      const next = await read().get(`${url}&cursor=${page.nextCursor}`).as(token).expect(200);
      page = next.body as Ending;
    }
    const ids = items.map((item) => item.journeyId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => [later, sooner, earliest].some((j) => j.journeyId === id))).toEqual([
      earliest.journeyId,
      sooner.journeyId,
      later.journeyId,
    ]);
    expect(ids).not.toContain(beyond.journeyId);
    expect(ids).not.toContain(elsewhere.journeyId);
    expect(ids).not.toContain(endedEarly.journeyId);
    expect(items.map((item) => item.end)).toEqual(items.map((item) => item.end).sort());
    expect(items.find((item) => item.journeyId === earliest.journeyId)).toMatchObject({
      end: inDays(250),
      days: 290,
      daysLeft: 250,
    });
  });

  it('refuses a cursor it did not give', async () => {
    await read()
      .get(`/legal/reflection-periods/ending?before=${inDays(1)}&cursor=bm90LWEtY3Vyc29y`)
      .as(await reader.token(['caseworker'], ORGS.outreach))
      .expectProblem(400, 'VALIDATION_FAILED');
  });
});
