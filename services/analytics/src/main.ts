/**
 * The analytics service in the distributed mode: the only file that reads the environment and
 * listens. `listen` stops it gracefully on SIGTERM and SIGINT (in-flight requests finish, then the
 * consumers, the relay and the stores close); traces are flushed before the process exits.
 */
import { configOrExit, listen, startTracing } from '@waypoint/service-kit';
import { analyticsDistributedConfigSchema, startDistributedAnalytics } from './distributed.js';

const config = configOrExit(analyticsDistributedConfigSchema);
const stopTracing = startTracing({
  serviceName: 'analytics',
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const { app } = await startDistributedAnalytics(config);
const address = await listen(app, {
  host: config.HOST,
  port: config.PORT,
  exit: (code) => {
    void stopTracing().finally(() => process.exit(code));
  },
});
app.log.info(
  { address, kafka: config.KAFKA_BROKERS !== undefined },
  `the analytics service is listening on ${address}`,
);
