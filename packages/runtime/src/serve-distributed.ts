import { configOrExit, listen, startTracing, type ConfigSchema } from '@waypoint/service-kit';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

/** What every distributed service's configuration has: where to listen, trace and find Kafka. */
interface ServedConfig {
  readonly HOST: string;
  readonly PORT: number;
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  readonly KAFKA_BROKERS?: unknown;
}

/**
 * A service's `main.ts` in the distributed mode: reads its configuration from the environment (or
 * exits naming what is wrong), starts tracing, starts the service and listens. `listen` stops it
 * gracefully on SIGTERM and SIGINT (in-flight requests finish, then the consumers, the relay and
 * the stores close); traces are flushed before the process exits.
 */
export async function serveDistributed<Schema extends ConfigSchema & z.ZodType<ServedConfig>>(
  name: string,
  schema: Schema,
  start: (config: z.output<Schema>) => Promise<{ readonly app: FastifyInstance }>,
): Promise<void> {
  const config: z.output<Schema> = configOrExit(schema);
  const stopTracing = await startTracing({
    serviceName: name,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const { app } = await start(config);
  const address = await listen(app, {
    host: config.HOST,
    port: config.PORT,
    exit: (code) => {
      void stopTracing().finally(() => process.exit(code));
    },
  });
  app.log.info(
    { address, kafka: config.KAFKA_BROKERS !== undefined },
    `the ${name} service is listening on ${address}`,
  );
}
