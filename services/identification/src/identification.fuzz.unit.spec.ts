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
const MIN_ROUTES = 20;

describe('fuzzing the command routes', () => {
  let world: TestWorld;
  let token: string;
  let journeyId: string;
  let personId: string;
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
    personId = (registered.body as { personId: string }).personId;
    const opened = await http(world.app)
      .post('/journeys', {
        personId,
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
  }, 30_000);

  it('schema-valid commands reach the deciders, and a refusal changes no store', async () => {
    await expectDecidersRefuseCleanly({
      app: world.app,
      token,
      params: { journeyId, personId, orgId: ORGS.outreach },
      knownIds: [journeyId, personId, ...Object.values(ORGS)],
      logPosition: async () => (await world.store.readAllBatch({ maxCount: 1_000_000 })).position,
      keyStore: () => [[...world.keys.storage.rows.keys()], world.keys.storage.log.length],
      minRoutes: MIN_ROUTES,
      numRuns: 100,
    });
  }, 30_000);
});
