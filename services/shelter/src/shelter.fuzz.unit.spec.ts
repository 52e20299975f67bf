import fc from 'fast-check';
import { routeAccess } from '@waypoint/service-kit';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testWorld, type TestWorld } from './testing/test-app.js';

/**
 * Random and malformed bodies to every command route: the answer is always a 4xx problem (or a
 * success for a body that happens to be valid), never a 5xx, and a refused command writes nothing.
 */
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

  const commandRoutes = (): string[] =>
    routeAccess(world.app)
      .filter((route) => route.method === 'POST' && !('public' in route.access))
      .map((route) =>
        route.url
          .replace(':journeyId', journeyId)
          .replace(':shelterId', shelterId)
          .replace(/:[a-zA-Z]+/g, () => v7()),
      );

  const bodies = fc.oneof(
    fc.anything(),
    fc.jsonValue(),
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
    fc.string().map((text) => ({ raw: `{${text}` })),
  );

  it('every command route answers below 500 and a refusal writes nothing', async () => {
    const routes = commandRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(11);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodies, async (url, body) => {
        const before = (await world.store.readAllBatch({ maxCount: 1_000_000 })).position;
        const response = await world.app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload:
            typeof body === 'object' && body !== null && 'raw' in body
              ? String(body.raw)
              : JSON.stringify(body ?? null),
        });
        expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          const after = (await world.store.readAllBatch({ maxCount: 1_000_000 })).position;
          expect(after).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});
