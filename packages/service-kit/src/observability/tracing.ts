import { context, propagation, trace, type Attributes } from '@opentelemetry/api';
import type { NodeTracerProvider, SpanExporter } from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  readonly endpoint?: string | undefined;
  /** Where spans go instead of OTLP, synchronously (tests). */
  readonly exporter?: SpanExporter;
}

/** Flushes what is buffered and unregisters tracing. */
export type StopTracing = () => Promise<void>;

type Resource = NonNullable<
  NonNullable<ConstructorParameters<typeof NodeTracerProvider>[0]>['resource']
>;

/**
 * The resource naming this service. `@opentelemetry/resources` (whose `resourceFromAttributes`
 * builds one) is not a dependency of the kit, and the provider only reads `attributes`, so a
 * plain object with the interface's members does. Replace with `resourceFromAttributes` if the
 * package is added.
 */
function serviceResource(attributes: Attributes): Resource {
  const resource: Resource = {
    attributes,
    merge: (other) =>
      other === null ? resource : serviceResource({ ...attributes, ...other.attributes }),
    getRawAttributes: () => Object.entries(attributes),
  };
  return resource;
}

/**
 * Turns tracing on for the process when an endpoint (or an exporter) is given; otherwise does
 * nothing, and the request hook's spans are the API's no-ops. Call once, from main.ts. The SDK and
 * its exporter (about 17 MB of resident memory once loaded) are loaded only when tracing is on.
 */
export async function startTracing(options: TracingOptions): Promise<StopTracing> {
  const endpoint = options.endpoint?.replace(/\/+$/, '');
  if (endpoint === undefined && options.exporter === undefined) return () => Promise.resolve();
  const { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor } =
    await import('@opentelemetry/sdk-trace-node');
  const spanProcessors = [];
  if (endpoint !== undefined) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    spanProcessors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` })),
    );
  }
  if (options.exporter !== undefined) {
    spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  }
  const provider = new NodeTracerProvider({
    resource: serviceResource({
      'service.name': options.serviceName,
      ...(options.serviceVersion === undefined
        ? {}
        : { 'service.version': options.serviceVersion }),
    }),
    spanProcessors,
  });
  // Sets the global provider, the W3C trace-context propagator and the async-hooks context manager.
  provider.register();
  return async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  };
}
