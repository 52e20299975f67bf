import fc from 'fast-check';
import {
  expectCommandRoutesSurviveFuzzing,
  expectDecidersRefuseCleanly,
} from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

/**
 * Random and malformed bodies to every command route: the answer is always a 4xx problem (or a
 * success for a body that happens to be valid), never a 5xx, and a refused command writes nothing.
 */
const MIN_ROUTES = 22;

describe('fuzzing the command routes', () => {
  let world: TestWorld;
  let token: string;
  let journeyId: string;
  beforeAll(async () => {
    world = await testWorld();
    token = await world.token(['legal_advisor', 'caseworker', 'supervisor']);
    ({ journeyId } = await world.openJourney());
    await world.consent(journeyId);
  });
  afterAll(async () => {
    await world.close();
  });

  const actingBody = fc.oneof(
    fc.record({ type: fc.constantFrom('Court', 'Police', 'x-local'), name: fc.string() }),
    fc.anything(),
  );

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
            'actingBody',
            'lodgedWith',
            'occurredOn',
            'start',
            'end',
            'kind',
            'reason',
            'outcome',
            'offence',
            'linkedToTrafficking',
            'forum',
            'against',
            'overrideReason',
            'amountClaimed',
            'replacement',
          ),
          fc.oneof(
            fc.anything(),
            actingBody,
            fc.constantFrom('2026-01-01', '2999-01-01', 'state_fund'),
          ),
        ),
      ],
      minRoutes: MIN_ROUTES,
    });
  }, 30_000);

  it('schema-valid commands reach the deciders, and a refusal changes no store', async () => {
    await expectDecidersRefuseCleanly({
      app: world.app,
      token,
      params: { journeyId },
      knownIds: [journeyId, ...Object.values(ORGS)],
      logPosition: async () => (await world.store.readAllBatch({ maxCount: 1_000_000 })).position,
      keyStore: () => [[...world.keys.storage.rows.keys()], world.keys.storage.log.length],
      minRoutes: MIN_ROUTES,
      numRuns: 100,
    });
  }, 30_000);
});
