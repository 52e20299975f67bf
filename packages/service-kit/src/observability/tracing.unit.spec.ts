import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp, type ServiceApp } from '../app/create-service-app.js';
import { http } from '../testing/http.js';
import { testAuth } from '../testing/test-auth.js';
import { traceparentOf } from './request-span.js';
import { startTracing, type StopTracing } from './tracing.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const INCOMING = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;

async function tracedApp(): Promise<ServiceApp> {
  const auth = await testAuth();
  const app = await createServiceApp({
    name: 'tracing-demo',
    version: '0.1.0',
    authenticator: auth.authenticator,
    readiness: () => Promise.resolve(true),
    logger: { level: 'silent' },
    rateLimit: false,
  });
  app.get(
    '/journeys/:journeyId/trace',
    { schema: { params: z.object({ journeyId: z.uuid() }) }, config: { access: { public: true } } },
    (request) => ({ traceparent: traceparentOf(request) ?? null }),
  );
  app.get('/broken', { config: { access: { public: true } } }, () => {
    throw new Error('broken');
  });
  await app.ready();
  return app;
}

describe('tracing off (no endpoint)', () => {
  it('registers nothing: spans are no-ops', async () => {
    const stop = await startTracing({ serviceName: 'tracing-demo', endpoint: undefined });
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    return stop();
  });

  it("traceparentOf passes on the caller's well-formed traceparent", async () => {
    const app = await tracedApp();
    const response = await http(app)
      .get(`/journeys/${randomUUID()}/trace`)
      .header('traceparent', INCOMING)
      .expect(200);
    expect(response.body).toEqual({ traceparent: INCOMING });
    await app.close();
  });

  it.each([
    ['absent', undefined],
    ['malformed', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_SPAN_ID}-01`],
    ['uppercase', INCOMING.toUpperCase()],
  ])('traceparentOf is undefined when the header is %s', async (_case, header) => {
    const app = await tracedApp();
    const request = http(app).get(`/journeys/${randomUUID()}/trace`);
    const response = await (
      header === undefined ? request : request.header('traceparent', header)
    ).expect(200);
    expect(response.body).toEqual({ traceparent: null });
    await app.close();
  });
});

describe('tracing on', () => {
  let stop: StopTracing | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('makes one server span per request, named by the route template, continuing the caller', async () => {
    const exporter = new InMemorySpanExporter();
    stop = await startTracing({ serviceName: 'tracing-demo', exporter });
    const app = await tracedApp();
    const journeyId = randomUUID();
    const response = await http(app)
      .get(`/journeys/${journeyId}/trace`)
      .header('traceparent', INCOMING)
      .expect(200);
    await app.close();

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /journeys/:journeyId/trace');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/journeys/:journeyId/trace',
      'http.response.status_code': 200,
    });
    expect(JSON.stringify(span?.attributes)).not.toContain(journeyId);
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(span?.resource.attributes['service.name']).toBe('tracing-demo');
    // The traceparent for event metadata is the server span's own.
    expect(response.body).toEqual({
      traceparent: `00-${TRACE_ID}-${span?.spanContext().spanId ?? ''}-01`,
    });
  });

  it('starts a new trace when the caller sent none, and marks 5xx spans as errors', async () => {
    const exporter = new InMemorySpanExporter();
    stop = await startTracing({ serviceName: 'tracing-demo', exporter });
    const app = await tracedApp();
    await http(app).get('/broken').expectProblem(500, 'INTERNAL');
    await app.close();
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /broken');
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('exports to the OTLP/HTTP endpoint, flushing on stop', async () => {
    const received: { url: string; body: string }[] = [];
    const collector: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ url: request.url ?? '', body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${String((collector.address() as AddressInfo).port)}/`;
    try {
      const stopExport = await startTracing({ serviceName: 'tracing-demo', endpoint });
      const app = await tracedApp();
      await http(app).get(`/journeys/${randomUUID()}/trace`).expect(200);
      await app.close();
      await stopExport();
      expect(received.map((request) => request.url)).toEqual(['/v1/traces']);
      expect(received[0]?.body).toContain('tracing-demo');
      expect(received[0]?.body).toContain('GET /journeys/:journeyId/trace');
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
