import { describe, expect, it } from 'vitest';
import { demoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';
import { runChecks } from './health.js';

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

describe('readiness per dependency', () => {
  it('/ready answers 200 with every check when all are up', async () => {
    const { app } = await demoApp({
      readiness: () =>
        runChecks({ store: () => Promise.resolve(), broker: () => Promise.resolve() }),
    });
    const body = (await http(app).get('/ready').expect(200)).body as {
      status: string;
      checks: Record<string, { status: string }>;
    };
    expect(body.status).toBe('ready');
    expect(body.checks.store?.status).toBe('up');
    expect(body.checks.broker?.status).toBe('up');
    await app.close();
  });

  it('/ready answers a 503 problem naming the dependency that is down, with every check', async () => {
    const { app } = await demoApp({
      readiness: () =>
        runChecks({
          store: () => Promise.resolve(),
          broker: () => Promise.reject(new Error('connection refused')),
          keyStore: () => Promise.reject(new Error('pool exhausted')),
        }),
    });
    const body = (await http(app).get('/ready').expectProblem(503, 'NOT_READY')) as unknown as {
      detail: string;
      checks: Record<string, { status: string }>;
    };
    expect(body.detail).toContain('broker (connection refused)');
    expect(body.detail).toContain('keyStore (pool exhausted)');
    expect(body.detail).not.toContain('store (');
    expect(body.checks.store?.status).toBe('up');
    expect(body.checks.broker?.status).toBe('down');
    await app.close();
  });

  it('a check that hangs is down once its timeout passes, and the probe still answers', async () => {
    const results = await runChecks(
      { broker: () => new Promise<void>(() => undefined), store: () => Promise.resolve() },
      50,
    );
    expect(results.broker).toMatchObject({ status: 'down', reason: 'no answer within 50 ms' });
    expect(results.store).toMatchObject({ status: 'up' });
  });
});
