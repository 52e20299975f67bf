export {
  fillStore,
  relayThroughput,
  type FillOptions,
  type RelayThroughputResult,
} from './relay-throughput.js';
export { endToEndLatency, type LatencyResult } from './end-to-end-latency.js';
