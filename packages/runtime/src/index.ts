export {
  DISTRIBUTED_CONFIG_SHAPE,
  distributedConfigSchema,
  sharedDistributedConfigSchema,
  type DistributedConfig,
  type SecretPair,
} from './config.js';
export { secretOf, withPasswordFrom } from './secrets.js';
export { openEventStore } from './event-store.js';
export {
  INTEGRATION_SERVICES,
  SERVICE_CATEGORIES,
  SERVICE_NAMES,
  topicsFor,
  type ServiceName,
} from './topics.js';
export {
  journeyFactsFromBus,
  mirrorJourneyEvents,
  type JourneyFactsFromBus,
} from './journey-facts-from-bus.js';
export { feedProjectionsFromBus, type BusFedProjections } from './bus-projections.js';
export {
  processConnections,
  startDistributedService,
  type DistributedService,
  type LogDestination,
} from './start-service.js';
export {
  ERASURE_INTERVAL_MS,
  ERASURE_PARTICIPANT_CONFIG_SHAPE,
  ErasureDuty,
  erasureParticipantProblems,
  participantConfigSchema,
  registerErasureDuty,
  startDistributedParticipant,
  type DistributedParticipant,
  type ErasureDutyLog,
  type ErasureParticipantConfig,
  type ErasureParticipantName,
} from './erasure-duty.js';
export { serveDistributed } from './serve-distributed.js';
