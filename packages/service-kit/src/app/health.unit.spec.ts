import { describe, expect, it } from 'vitest';
import { demoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';

describe('health and readiness', () => {
  it('/health answers 200 without a token', async () => {
    const { app } = await demoApp({ readiness: () => Promise.resolve(false) });
    await http(app).get('/health').expect(200);
    await app.close();
  });

  it('/ready answers 200 when the service can serve', async () => {
    const { app } = await demoApp({ readiness: () => Promise.resolve(true) });
    expect((await http(app).get('/ready').expect(200)).body).toEqual({ status: 'ready' });
    await app.close();
  });

  it('/ready answers a 503 problem when it cannot', async () => {
    const { app } = await demoApp({ readiness: () => Promise.resolve(false) });
    await http(app).get('/ready').expectProblem(503, 'NOT_READY');
    await app.close();
  });

  it('/ready answers a 503 problem when the check itself fails', async () => {
    const { app, logs } = await demoApp({
      readiness: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')),
    });
    await http(app).get('/ready').expectProblem(503, 'NOT_READY');
    expect(logs.join('')).toContain('readiness check failed');
    await app.close();
  });

  it('the probes are never rate limited', async () => {
    const { app } = await demoApp({ rateLimit: { max: 1, timeWindow: 60_000 } });
    for (let probe = 0; probe < 5; probe += 1) {
      await http(app).get('/health').expect(200);
      await http(app).get('/ready').expect(200);
    }
    await app.close();
  });
});
