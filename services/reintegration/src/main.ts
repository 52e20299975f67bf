/**
 * The reintegration service in the distributed mode: the only file that reads the environment and
 * listens. `listen` stops it gracefully on SIGTERM and SIGINT (in-flight requests finish, then the
 * consumers, the relay and the stores close); traces are flushed before the process exits.
 */
import { configOrExit, listen, startTracing } from '@waypoint/service-kit';
import { reintegrationConfigSchema } from './config.js';
import { startDistributedReintegration } from './distributed.js';

const config = configOrExit(reintegrationConfigSchema);
const stopTracing = startTracing({
  serviceName: 'reintegration',
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const { app } = await startDistributedReintegration(config);
const address = await listen(app, {
  host: config.HOST,
  port: config.PORT,
  exit: (code) => {
    void stopTracing().finally(() => process.exit(code));
  },
});
app.log.info(
  { address, kafka: config.KAFKA_BROKERS !== undefined },
  `the reintegration service is listening on ${address}`,
);
