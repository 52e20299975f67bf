/**
 * The care service in the distributed mode: the only file that reads the environment and
 * listens. `listen` stops it gracefully on SIGTERM and SIGINT (in-flight requests finish, then the
 * consumers, the relay and the stores close); traces are flushed before the process exits.
 */
import { configOrExit, listen, startTracing } from '@waypoint/service-kit';
import { careConfigSchema } from './config.js';
import { startDistributedCare } from './distributed.js';

const config = configOrExit(careConfigSchema);
const stopTracing = startTracing({
  serviceName: 'care',
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const { app } = await startDistributedCare(config);
const address = await listen(app, {
  host: config.HOST,
  port: config.PORT,
  exit: (code) => {
    void stopTracing().finally(() => process.exit(code));
  },
});
app.log.info(
  { address, kafka: config.KAFKA_BROKERS !== undefined },
  `the care service is listening on ${address}`,
);
