import fc from 'fast-check';
import { routeAccess } from '@waypoint/service-kit';
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
  beforeAll(async () => {
    world = await testWorld();
    token = await world.token(['caseworker', 'supervisor', 'reintegration_officer', 'admin']);
    journeyId = (await world.openJourney({ child: true })).journeyId;
  });
  afterAll(async () => {
    await world.close();
  });

  const commandRoutes = (): string[] =>
    routeAccess(world.app)
      .filter((route) => route.method === 'POST' && !('public' in route.access))
      .map((route) =>
        route.url.replace(':journeyId', journeyId).replace(/:[a-zA-Z]+/g, () => v7()),
      );

  const bodies = fc.oneof(
    fc.anything(),
    fc.jsonValue(),
    fc.dictionary(
      fc.constantFrom(
        'returnId',
        'scope',
        'level',
        'voluntary',
        'destination',
        'countryOfReturn',
        'scores',
        'nextReviewDue',
        'occurredAt',
        'overrideReason',
        'replacement',
        'retractedEventId',
      ),
      fc.anything(),
    ),
    fc.record({
      scope: fc.constantFrom('return', 'reprisal', 'x'),
      level: fc.constantFrom('low', 'high', 7),
      assessedBy: fc.constant({ type: 'NGO', name: 'Outreach' }),
      occurredAt: fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.string(),
      ),
    }),
    fc.string().map((text) => ({ raw: `{${text}` })),
  );

  it('every command route answers below 500 and a refusal writes nothing', async () => {
    const routes = commandRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(14);
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
