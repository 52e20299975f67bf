import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  isSpanContextValid,
  propagation,
  trace,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const spans = new WeakMap<FastifyRequest, Span>();

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function wellFormedTraceparent(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (match === null) return undefined;
  const [, traceId, spanId] = match;
  if (traceId === '0'.repeat(32) || spanId === '0'.repeat(16)) return undefined;
  return value;
}

/**
 * The W3C traceparent to record in event metadata, so the request can be followed through
 * projections and Kafka: the request's server span when tracing is on, else the caller's
 * `traceparent` when it is well formed, else undefined.
 */
export function traceparentOf(request: FastifyRequest): string | undefined {
  const spanContext = spans.get(request)?.spanContext();
  if (spanContext !== undefined && isSpanContextValid(spanContext)) {
    const flags = spanContext.traceFlags.toString(16).padStart(2, '0');
    return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
  }
  return wellFormedTraceparent(request.headers.traceparent);
}

/** The request's server span, to start child spans under it. */
export function spanOf(request: FastifyRequest): Span | undefined {
  return spans.get(request);
}

/**
 * One server span per request, named `METHOD /route/template`, continuing the caller's trace.
 * Like the log, the span carries the route template and not the path.
 * With tracing off the API hands out no-op spans, so this costs next to nothing.
 */
export function installRequestSpans(
  app: FastifyInstance,
  service: { readonly name: string; readonly version: string },
): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = trace.getTracer(service.name, service.version).startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.scheme': request.protocol,
          ...(route === undefined ? {} : { 'http.route': route }),
          'waypoint.request_id': request.id,
        },
      },
      parent,
    );
    spans.set(request, span);
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });

  app.addHook('onRequestAbort', (request, done) => {
    const span = spans.get(request);
    if (span !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'aborted by the client' });
      span.end();
    }
    done();
  });
}
