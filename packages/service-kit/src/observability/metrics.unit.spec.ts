import { Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';
import { serviceMetrics } from './metrics.js';

const CREDENTIAL = 'spec-metrics-credential-0123456789';
const scraperHeaders = { authorization: `Bearer ${CREDENTIAL}` };

describe('/metrics', () => {
  it('is not served at all when no metrics credential is configured', async () => {
    const { app } = await demoApp();
    await http(app).get('/metrics').expectProblem(404, 'NOT_FOUND');
    await app.close();
  });

  it('refuses a scraper without the credential, a wrong one, and a user token', async () => {
    const { app, auth } = await demoApp({ metricsCredential: CREDENTIAL });
    await http(app).get('/metrics').expectProblem(401, 'UNAUTHENTICATED');
    const wrong = await app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${CREDENTIAL}x` },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    const token = await auth.tokenFor({ roles: ['data_protection_officer'] });
    const user = await app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(user.statusCode).toBe(401);
    await app.close();
  });

  it('shows the request duration histogram by method, route template and status', async () => {
    const { app, auth } = await demoApp({ metricsCredential: CREDENTIAL });
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    await http(app).get(`/journeys/${randomUUID()}`).as(token).expect(200);
    await http(app).get('/nowhere').expectProblem(404, 'NOT_FOUND');
    const response = await app.inject({ url: '/metrics', headers: scraperHeaders });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/journeys\/:journeyId",status_code="200"\} 1/,
    );
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/,
    );
    await app.close();
  });

  it('belongs to its app: two apps do not share counts', async () => {
    const first = await demoApp({ metricsCredential: CREDENTIAL });
    const second = await demoApp({ metricsCredential: CREDENTIAL });
    await http(first.app).get('/public/ping').expect(200);
    const metrics = await second.app.inject({ url: '/metrics', headers: scraperHeaders });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).not.toContain('route="/public/ping"');
    await first.app.close();
    await second.app.close();
  });
});

describe('serviceMetrics', () => {
  it('creates the append latency histogram and the conflict counter in the given registry', async () => {
    const registry = new Registry();
    const metrics = serviceMetrics(registry);
    metrics.eventAppendDuration.observe({ category: 'shelter', outcome: 'ok' }, 0.004);
    metrics.concurrencyConflicts.inc({ category: 'shelter' });
    const text = await registry.metrics();
    expect(text).toContain(
      'event_append_duration_seconds_count{category="shelter",outcome="ok"} 1',
    );
    expect(text).toContain('event_append_concurrency_conflicts_total{category="shelter"} 1');
  });
});
