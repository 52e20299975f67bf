import fc from 'fast-check';
import {
  expectCommandRoutesSurviveFuzzing,
  expectDecidersRefuseCleanly,
  http,
} from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

/**
 * Random and malformed bodies to every command route: the answer is always a 4xx problem (or a
 * success for a body that happens to be valid), never a 5xx, and a refused command writes nothing.
 */
const MIN_ROUTES = 11;

describe('fuzzing the command routes', () => {
  let world: TestWorld;
  let token: string;
  let journeyId: string;
  let shelterId: string;
  beforeAll(async () => {
    world = await testWorld();
    token = await world.token(['shelter_staff', 'supervisor', 'admin']);
    ({ journeyId } = await world.seedJourney());
    const registered = await http(world.app)
      .post('/shelters', {
        name: 'Fuzz House',
        type: 'emergency',
        capacity: 2,
        childOnly: false,
        adultsOnly: false,
        secure: false,
        country: 'NL',
        address: { line1: 'Fuzz street 1', city: 'Fuzztown' },
      })
      .as(token)
      .expect(201);
    shelterId = (registered.body as { shelterId: string }).shelterId;
  });
  afterAll(async () => {
    await world.close();
  });

  it('every command route answers below 500 and a refusal writes nothing', async () => {
    await expectCommandRoutesSurviveFuzzing({
      app: world.app,
      token,
      params: { journeyId, shelterId },
      freshId: v7,
      logPosition: async () => (await world.store.readAllBatch({ maxCount: 1_000_000 })).position,
      bodies: [
        fc.dictionary(
          fc.constantFrom(
            'shelterId',
            'freedomOfMovementRestricted',
            'restriction',
            'overrideReason',
            'reason',
            'details',
            'level',
            'kind',
            'capacity',
            'address',
            'replacement',
          ),
          fc.anything(),
        ),
        fc.record({
          shelterId: fc.constantFrom(v7(), 'not-a-uuid'),
          freedomOfMovementRestricted: fc.boolean(),
          restriction: fc.record({
            justificationCode: fc.constantFrom('other', 'court_order', 'nope'),
            justification: fc.string(),
            reviewDate: fc.constantFrom('2020-01-01', '2999-01-01', 'tomorrow'),
          }),
          reason: fc.constantFrom('non_cooperation', 'other', 'safety'),
        }),
      ],
      minRoutes: MIN_ROUTES,
    });
  }, 30_000);

  it('schema-valid commands reach the deciders, and a refusal changes no store', async () => {
    await expectDecidersRefuseCleanly({
      app: world.app,
      token,
      params: { journeyId, shelterId },
      knownIds: [journeyId, shelterId, ...Object.values(ORGS)],
      logPosition: async () => (await world.store.readAllBatch({ maxCount: 1_000_000 })).position,
      keyStore: () => [[...world.keys.storage.rows.keys()], world.keys.storage.log.length],
      minRoutes: MIN_ROUTES,
      numRuns: 100,
    });
  }, 30_000);
});
