import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, type SqlDatabase } from '@waypoint/projections';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from '../../testing/test-app.js';
import { readModelApp, type ReadModelApp } from '../testing/read-model-app.js';

const DAY_MS = 86_400_000;
const inDays = (days: number): string =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

interface Due {
  today: string;
  items: { journeyId: string; nextReviewDue: string; overdue: boolean; reviews: number }[];
  nextCursor: string | null;
}

describe('reintegration reviews over HTTP, from the read model', () => {
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

  /** A journey of `org` with a plan whose first review is due in `firstReview` days. */
  async function planned(firstReview: number, org: string = ORGS.outreach) {
    const { journeyId } = await writer.openJourney({ org });
    await write()
      .post(`/journeys/${journeyId}/reintegration/plans`, {
        planId: v7(),
        setting: 'after_return',
        supportAreas: ['Livelihood', 'Education'],
        firstReviewDue: inDays(firstReview),
        goals: 'Back to school by autumn',
      })
      .as(await writer.token(['reintegration_officer'], org))
      .expect(201);
    return journeyId;
  }

  async function reviewed(journeyId: string, economic: number, next: number | undefined) {
    await write()
      .post(`/journeys/${journeyId}/reintegration/reviews`, {
        reviewId: v7(),
        method: 'phone',
        scores: { economic, social: 0.5, psychosocial: 0.7 },
        situation: { housing: 'stable_family', work: 'employed', feelsSafe: 'yes' },
        notes: 'Doing well at the new job',
        ...(next === undefined ? {} : { nextReviewDue: inDays(next) }),
      })
      .as(await writer.token(['reintegration_officer'], ORGS.outreach))
      .expect(201);
  }

  it('shows the plan, the last review with its scores, and when the next review is due', async () => {
    const journeyId = await planned(10);
    await reviewed(journeyId, 0.3, 90);
    await reader.caughtUp();
    const response = await read()
      .get(`/journeys/${journeyId}/reintegration/reviews/next`)
      .as(await reader.token(['reintegration_officer'], ORGS.outreach))
      .expect(200);
    expect(response.body).toMatchObject({
      journeyId,
      status: 'open',
      plan: { setting: 'after_return', supportAreas: ['Livelihood', 'Education'] },
      reviews: 1,
      lastReview: {
        method: 'phone',
        scores: { economic: 0.3, social: 0.5, psychosocial: 0.7 },
        situation: { housing: 'stable_family', work: 'employed', feelsSafe: 'yes' },
      },
      nextReviewDue: inDays(90),
      overdue: false,
    });
    expect(response.text).not.toContain('new job');
    const records = await collect(writer.store.readStream(`access-reintegration-${journeyId}`));
    expect(records.map((record) => record.data['route'])).toEqual([
      'GET /journeys/:journeyId/reintegration/reviews/next',
    ]);
  });

  it('answers 404 to an organisation that does not see the journey, and 403 to a role that does not read reintegration', async () => {
    const journeyId = await planned(10);
    await reader.caughtUp();
    await read()
      .get(`/journeys/${journeyId}/reintegration/reviews/next`)
      .as(await reader.token(['reintegration_officer'], ORGS.unrelated))
      .expectProblem(404, 'JOURNEY_NOT_FOUND');
    for (const url of [
      `/journeys/${journeyId}/reintegration/reviews/next`,
      `/reintegration/reviews/due?before=${inDays(30)}`,
    ])
      await read()
        .get(url)
        .as(await reader.token(['shelter_staff'], ORGS.outreach))
        .expectProblem(403, 'FORBIDDEN');
  });

  it("lists the caller's journeys with a review due before a day, earliest first, a page at a time", async () => {
    const third = await planned(700);
    const first = await planned(650);
    const second = await planned(660);
    await reviewed(second, 0.4, 680);
    const beyond = await planned(800);
    const finished = await planned(640);
    await reviewed(finished, 0.9, undefined);
    const elsewhere = await planned(655, ORGS.unrelated);
    await reader.caughtUp();
    const token = await reader.token(['caseworker'], ORGS.outreach);
    const url = `/reintegration/reviews/due?before=${inDays(701)}&limit=2`;
    const items: Due['items'] = [];
    let page = (await read().get(url).as(token).expect(200)).body as Due;
    expect(page.items).toHaveLength(2);
    for (;;) {
      items.push(...page.items);
      if (page.nextCursor === null) break;
      const next = await read().get(`${url}&cursor=${page.nextCursor}`).as(token).expect(200);
      page = next.body as Due;
    }
    const ids = items.map((item) => item.journeyId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => [first, second, third].includes(id))).toEqual([first, second, third]);
    for (const absent of [beyond, finished, elsewhere]) expect(ids).not.toContain(absent);
    expect(items.find((item) => item.journeyId === second)).toMatchObject({
      nextReviewDue: inDays(680),
      overdue: false,
      reviews: 1,
    });
  });

  it('refuses a cursor it did not give', async () => {
    await read()
      .get(`/reintegration/reviews/due?before=${inDays(1)}&cursor=WyIyMDI1LTEzLTQ1IiwieCJd`)
      .as(await reader.token(['caseworker'], ORGS.outreach))
      .expectProblem(400, 'VALIDATION_FAILED');
  });
});
