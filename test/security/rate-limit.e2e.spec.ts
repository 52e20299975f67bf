import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks } from './support/expectations.js';
import { freshId, ORGS, SETUP_TIMEOUT, startWorld, type World } from './support/world.js';

/**
 * The embedded app limits each caller: per user when the token verifies, per client address
 * otherwise, so guessing tokens or ids costs time. Over the limit: 429 problem+json with
 * Retry-After.
 */
const LIMIT = 5;
let world: World;

beforeAll(async () => {
  world = await startWorld({ demoJourneys: 0, rateLimitPerMinute: LIMIT });
}, SETUP_TIMEOUT);
afterAll(async () => {
  await world.close();
}, SETUP_TIMEOUT);

async function burst(count: number, request: () => Promise<{ status: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 0; n < count; n += 1) statuses.push((await request()).status);
  return statuses;
}

describe('rate limiting', () => {
  it('answers a user over the limit with 429 problem+json and Retry-After', async () => {
    const token = await world.tokenFor({
      sub: 'eager-user',
      org: ORGS.outreach,
      roles: ['caseworker'],
    });
    const statuses = await burst(LIMIT, () =>
      world.call({ method: 'GET', url: '/journeys', token }),
    );
    expect(statuses).toEqual(Array.from({ length: LIMIT }, () => 200));
    const limited = await world.call({ method: 'GET', url: '/journeys', token });
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((limited.json as { code: string }).code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectNoLeaks(limited.text);
  });

  it('counts per user: one user over the limit does not stop another', async () => {
    const other = await world.tokenFor({
      sub: 'patient-user',
      org: ORGS.outreach,
      roles: ['caseworker'],
    });
    expect((await world.call({ method: 'GET', url: '/journeys', token: other })).status).toBe(200);
  });

  it('counts refused tokens too, so guessing tokens is slowed down', async () => {
    const address = { 'x-forwarded-for': '203.0.113.7' };
    const statuses = await burst(LIMIT + 2, () =>
      world.call({
        method: 'GET',
        url: '/journeys',
        token: `forged.${freshId()}.token`,
        headers: address,
      }),
    );
    expect(statuses.slice(0, LIMIT)).toEqual(Array.from({ length: LIMIT }, () => 401));
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
    // A client cannot shed its count by claiming another address.
    const spoofed = await world.call({
      method: 'GET',
      url: '/journeys',
      token: 'forged.again.token',
      headers: { 'x-forwarded-for': '198.51.100.99' },
    });
    expect(spoofed.status).toBe(429);
  });

  it('counts probes of journey ids, so enumerating journeys is slowed down', async () => {
    const token = await world.tokenFor({ sub: 'prober', org: freshId(), roles: ['caseworker'] });
    const statuses = await burst(LIMIT + 1, () =>
      world.call({ method: 'GET', url: `/journeys/${freshId()}/timeline`, token }),
    );
    expect(statuses.at(-1)).toBe(429);
  });

  it('leaves the health probes out, so an orchestrator is never locked out', async () => {
    const statuses = await burst(LIMIT + 3, () => world.call({ method: 'GET', url: '/health' }));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
