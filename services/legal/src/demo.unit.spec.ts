import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoJourney } from './demo.js';
import { testWorld, type TestWorld } from './testing/test-app.js';

describe('the demo journeys', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  const token = (user: string): Promise<string> =>
    world.token([user === 'supervisor' ? 'supervisor' : 'caseworker']);

  it('records a lawful path through the API', async () => {
    const { journeyId } = await world.openJourney();
    await world.consent(journeyId);
    await demoJourney(world.app, token, journeyId);
    const read = await http(world.app)
      .get(`/journeys/${journeyId}/legal`)
      .as(await token('caseworker'))
      .expect(200);
    expect(read.body).toMatchObject({
      reflectionPeriod: { days: 90, endReason: 'expired' },
      residencePermits: [{ outcome: 'granted' }],
      charges: [{ status: 'concluded' }],
      compensationClaims: [{ filedThroughWaypoint: true, status: 'pending' }],
    });
  });

  it('records a path with breaches, the claim on a supervisor override', async () => {
    const { journeyId } = await world.openJourney();
    await demoJourney(world.app, token, journeyId, { breach: true });
    const types = (await collect(world.store.readStream(`legal-${journeyId}`))).map(
      (event) => event.type,
    );
    expect(types).toContain('RemovalEnforced');
    expect(types).toContain('PenaltyImposed');
    const read = await http(world.app)
      .get(`/journeys/${journeyId}/legal`)
      .as(await token('caseworker'))
      .expect(200);
    expect(read.body).toMatchObject({
      reflectionPeriod: { days: 20, endReason: 'non_cooperation' },
      removals: [{ kind: 'dublin_transfer' }],
    });
  });
});
