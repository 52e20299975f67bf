import { Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';
import { serviceMetrics } from './metrics.js';

describe('/metrics', () => {
  it('shows the request duration histogram by method, route template and status', async () => {
    const { app, auth } = await demoApp();
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    await http(app).get(`/journeys/${randomUUID()}`).as(token).expect(200);
    await http(app).get('/nowhere').expectProblem(404, 'NOT_FOUND');
    const response = await http(app).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/journeys\/:journeyId",status_code="200"\} 1/,
    );
    expect(response.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/,
    );
    await app.close();
  });

  it('belongs to its app: two apps do not share counts', async () => {
    const first = await demoApp();
    const second = await demoApp();
    await http(first.app).get('/public/ping').expect(200);
    const metrics = await http(second.app).get('/metrics').expect(200);
    expect(metrics.text).not.toContain('route="/public/ping"');
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
