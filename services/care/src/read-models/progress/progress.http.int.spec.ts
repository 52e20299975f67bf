import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, type SqlDatabase } from '@waypoint/projections';
import { http } from '@waypoint/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from '../../testing/test-app.js';
import { readModelApp, type ReadModelApp } from '../testing/read-model-app.js';

describe("a journey's care progress over HTTP, from the read model", () => {
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
  const progressOf = (journeyId: string) =>
    http(reader.app).get(`/journeys/${journeyId}/care/progress`);

  /** A plan with two objectives, one achieved; care delivered for it and outside it. */
  async function journeyInCare() {
    const { journeyId } = await writer.journey({ referToClinic: true });
    const provider = await writer.token(['care_provider'], ORGS.clinic);
    const plan = await write()
      .post(`/journeys/${journeyId}/care/plans`, {
        reviewDate: '2030-01-31',
        summary: 'Stabilise health first, then counselling',
        objectives: [{ careCode: 'medical' }, { careCode: 'counselling' }],
      })
      .as(provider)
      .expect(201);
    const { planId, objectiveIds } = plan.body as { planId: string; objectiveIds: string[] };
    await write()
      .post(
        `/journeys/${journeyId}/care/plans/${planId}/objectives/${objectiveIds[0] ?? ''}/progress`,
        {
          status: 'achieved',
          note: 'Recovered well',
        },
      )
      .as(provider)
      .expect(201);
    const delivery = {
      careCode: 'medical',
      provider: { name: 'Harbour Clinic' },
      language: 'en',
      interpreterUsed: false,
    };
    await write()
      .post(`/journeys/${journeyId}/care/deliveries`, { ...delivery, planId })
      .as(provider)
      .expect(201);
    await write().post(`/journeys/${journeyId}/care/deliveries`, delivery).as(provider).expect(201);
    await reader.caughtUp();
    return { journeyId, planId };
  }

  it('shows per plan how many objectives are achieved or under way, and the care delivered', async () => {
    const { journeyId, planId } = await journeyInCare();
    const response = await progressOf(journeyId)
      .as(await reader.token(['care_provider'], ORGS.clinic))
      .expect(200);
    expect(response.body).toMatchObject({
      journeyId,
      assistance: { status: 'assisting', endedAt: null },
      deliveries: 2,
      authorisations: 0,
      plans: [
        {
          planId,
          reviewDate: '2030-01-31',
          objectives: { total: 2, achieved: 1, inProgress: 0, notStarted: 1 },
          deliveries: 1,
        },
      ],
    });
    expect(response.text).not.toContain('Stabilise');
  });

  it('records every read in the care access stream', async () => {
    const { journeyId } = await journeyInCare();
    await progressOf(journeyId)
      .as(await reader.token(['caseworker'], ORGS.outreach))
      .expect(200);
    const records = await collect(writer.store.readStream(`access-care-${journeyId}`));
    expect(records).toMatchObject([
      {
        type: 'PersonalDataRead',
        data: {
          subjectId: journeyId,
          route: 'GET /journeys/:journeyId/care/progress',
          categories: [],
        },
      },
    ]);
  });

  it('answers 404 to an organisation that does not see the journey, and 403 to a role that does not read care', async () => {
    const { journeyId } = await journeyInCare();
    await progressOf(journeyId)
      .as(await reader.token(['care_provider'], ORGS.unrelated))
      .expectProblem(404, 'JOURNEY_NOT_FOUND');
    await progressOf(journeyId)
      .as(await reader.token(['analyst'], ORGS.outreach))
      .expectProblem(403, 'FORBIDDEN');
  });

  it('shows nothing under way for a visible journey with no care yet', async () => {
    const { journeyId } = await writer.journey();
    await reader.caughtUp();
    const response = await progressOf(journeyId)
      .as(await reader.token(['caseworker'], ORGS.outreach))
      .expect(200);
    expect(response.body).toMatchObject({
      assistance: { status: 'none' },
      deliveries: 0,
      plans: [],
    });
  });

  it('no longer counts care delivered that was retracted', async () => {
    const { journeyId } = await journeyInCare();
    const events = await collect(writer.store.readStream(`care-${journeyId}`));
    const delivered = events.filter((event) => event.type === 'CareDelivered');
    await write()
      .post(`/journeys/${journeyId}/care/retractions`, {
        retractedEventId: delivered[0]?.id,
        reasonCode: 'duplicate',
      })
      .as(await writer.token(['care_provider'], ORGS.clinic))
      .expect(201);
    await reader.caughtUp();
    const response = await progressOf(journeyId)
      .as(await reader.token(['care_provider'], ORGS.clinic))
      .expect(200);
    expect(response.body).toMatchObject({ deliveries: 1, plans: [{ deliveries: 0 }] });
  });
});
