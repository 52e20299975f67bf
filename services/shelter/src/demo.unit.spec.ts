import { collect } from '@waypoint/eventstore/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoJourney, type DemoUser } from './demo.js';
import { testWorld, type TestWorld } from './testing/test-app.js';

describe('the demo journey', () => {
  let world: TestWorld;
  let token: (user: DemoUser) => Promise<string>;
  beforeAll(async () => {
    world = await testWorld();
    token = (user) =>
      world.token(
        user === 'supervisor' ? ['supervisor'] : ['caseworker'],
        undefined,
        `demo-${user}`,
      );
  });
  afterAll(async () => {
    await world.close();
  });

  it('records a lawful path, and a path the audit flags, reusing the demo shelters', async () => {
    const lawful = await world.seedJourney();
    await demoJourney(world.app, token, lawful.journeyId);
    const flagged = await world.seedJourney({ child: true });
    await demoJourney(world.app, token, flagged.journeyId, true);
    const types = async (journeyId: string) =>
      (await collect(world.store.readStream(`shelter-${journeyId}`))).map((event) => event.type);
    expect(await types(lawful.journeyId)).toEqual([
      'ShelterAdmitted',
      'RiskAssessmentCompleted',
      'ShelterTransferred',
      'ShelterExited',
    ]);
    expect(await types(flagged.journeyId)).toEqual(['ShelterAdmitted', 'ShelterExited']);
    const shelters = await collect(
      world.store.readAll({ filter: { categories: ['shelterregistry'] } }),
    );
    expect(shelters).toHaveLength(2);
  });
});
