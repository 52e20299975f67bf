/**
 * The journey service in the distributed mode: the only file that reads the environment and
 * listens. `listen` stops it gracefully on SIGTERM and SIGINT (in-flight requests finish, then the
 * consumers, the relay and the stores close); traces are flushed before the process exits.
 */
import { configOrExit, listen, startTracing } from '@waypoint/service-kit';
import { journeyConfigSchema } from './config.js';
import { startDistributedJourney } from './distributed.js';

const config = configOrExit(journeyConfigSchema);
const stopTracing = startTracing({
  serviceName: 'journey',
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const { app } = await startDistributedJourney(config);
const address = await listen(app, {
  host: config.HOST,
  port: config.PORT,
  exit: (code) => {
    void stopTracing().finally(() => process.exit(code));
  },
});
app.log.info(
  { address, kafka: config.KAFKA_BROKERS !== undefined },
  `the journey service is listening on ${address}`,
);
