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
const MIN_ROUTES = 8;

describe('fuzzing the command routes', () => {
  let world: TestWorld;
  let token: string;
  let journeyId: string;
  beforeAll(async () => {
    world = await testWorld();
    token = await world.token(['caseworker', 'supervisor', 'care_provider']);
    journeyId = (await world.journey()).journeyId;
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
            'careCode',
            'supportPlanType',
            'objectives',
            'legalBasis',
            'overrideReason',
            'provider',
            'language',
            'interpreterUsed',
            'deliveredAt',
            'reason',
            'endedBy',
            'status',
            'replacement',
          ),
          fc.anything(),
        ),
        fc.record({
          careCode: fc.constantFrom('emergency_medical', 'psychological', 'x-local', 'bogus'),
          provider: fc.constantFrom({ name: 'Clinic' }, {}, 'Clinic'),
          language: fc.constantFrom('en', 'EN', ''),
          interpreterUsed: fc.boolean(),
          legalBasis: fc.constantFrom('consent', 'vital_interest', 'supervisor_override', 'none'),
          objectives: fc.array(
            fc.record({ careCode: fc.constantFrom('education', 'x-y', 'nope') }),
          ),
          deliveredAt: fc.constantFrom('2020-01-01T00:00:00Z', '2999-01-01T00:00:00Z', 'yesterday'),
        }),
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
