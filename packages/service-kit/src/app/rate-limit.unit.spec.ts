import { describe, expect, it } from 'vitest';
import { demoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a user goes over the limit', async () => {
    const { app, auth } = await demoApp({ rateLimit: { max: 3, timeWindow: 60_000 } });
    const token = await auth.tokenFor({ sub: 'busy-user', roles: ['caseworker'] });
    for (let call = 0; call < 3; call += 1) await http(app).get('/whoami').as(token).expect(200);
    const response = await http(app).get('/whoami').as(token).send();
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    await app.close();
  });

  it('counts per user, not per address: another user is not held back', async () => {
    const { app, auth } = await demoApp({ rateLimit: { max: 2, timeWindow: 60_000 } });
    const busy = await auth.tokenFor({ sub: 'busy-user', roles: ['caseworker'] });
    const calm = await auth.tokenFor({ sub: 'calm-user', roles: ['caseworker'] });
    for (let call = 0; call < 2; call += 1) await http(app).get('/whoami').as(busy).expect(200);
    await http(app).get('/whoami').as(busy).expectProblem(429, 'RATE_LIMITED');
    await http(app).get('/whoami').as(calm).expect(200);
    await app.close();
  });

  it('counts unauthenticated calls by client address, failed attempts included', async () => {
    const { app, auth } = await demoApp({ rateLimit: { max: 2, timeWindow: 60_000 } });
    await http(app).get('/public/ping').expect(200);
    await http(app).get('/whoami').as('forged').expectProblem(401, 'UNAUTHENTICATED');
    await http(app).get('/whoami').as('forged').expectProblem(429, 'RATE_LIMITED');
    await http(app).get('/public/ping').expectProblem(429, 'RATE_LIMITED');
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    await http(app).get('/whoami').as(token).expect(200);
    await app.close();
  });

  it('neither counts nor refuses a request while it is paused, and limits again after', async () => {
    let paused = true;
    const { app, auth } = await demoApp({
      rateLimit: { max: 2, timeWindow: 60_000, paused: () => paused },
    });
    const token = await auth.tokenFor({ sub: 'seeding-user', roles: ['caseworker'] });
    for (let call = 0; call < 5; call += 1) await http(app).get('/whoami').as(token).expect(200);
    paused = false;
    for (let call = 0; call < 2; call += 1) await http(app).get('/whoami').as(token).expect(200);
    await http(app).get('/whoami').as(token).expectProblem(429, 'RATE_LIMITED');
    await app.close();
  });
});
