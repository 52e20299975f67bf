import fc from 'fast-check';
import { expectCommandRoutesSurviveFuzzing } from '@waypoint/service-kit/testing';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { testWorld, type TestWorld } from './testing/test-app.js';

/**
 * Random and malformed bodies to every command route: the answer is always a 4xx problem (or a
 * success for a body that happens to be valid), never a 5xx, and a refused command writes nothing.
 */
const MIN_ROUTES = 20;

describe('fuzzing the command routes', () => {
  let world: TestWorld;
  let token: string;
  let journeyId: string;
  beforeAll(async () => {
    world = await testWorld();
    token = await world.token(['caseworker', 'supervisor', 'admin', 'data_protection_officer']);
    const registered = await http(world.app)
      .post('/persons', {
        identity: { givenName: 'Fuzz', familyName: 'Target' },
        gender: 'Feminine',
        ageBand: '24-26',
        child: 'no',
        citizenship: ['NL'],
        languages: ['nl'],
      })
      .as(token)
      .expect(201);
    const opened = await http(world.app)
      .post('/journeys', {
        personId: (registered.body as { personId: string }).personId,
        jurisdiction: 'NL',
      })
      .as(token)
      .expect(201);
    journeyId = (opened.body as { journeyId: string }).journeyId;
  });
  afterAll(async () => {
    await world.close();
  });

  it('every command route answers below 500 and a refusal writes nothing', async () => {
    await expectCommandRoutesSurviveFuzzing({
      app: world.app,
      token,
      params: { journeyId },
      freshId: v7,
      logPosition: async () => (await world.store.readAllBatch({ maxCount: 1_000_000 })).position,
      bodies: [
        fc.dictionary(
          fc.constantFrom(
            'identity',
            'personId',
            'jurisdiction',
            'channel',
            'consentId',
            'toOrgId',
            'scope',
            'outcome',
            'status',
          ),
          fc.anything(),
        ),
      ],
      minRoutes: MIN_ROUTES,
    });
  });
});
