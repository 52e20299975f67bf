import {
  consumeEvents,
  serviceTopic,
  type Bus,
  type BusLogger,
  type EventConsumer,
} from '@waypoint/bus';
import {
  streamInCategory,
  type EventStore,
  type LiveView,
  type RecordedEvent,
} from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import {
  journeyFactsView,
  knownOrganisationsView,
  type OpenJourney,
} from '@waypoint/journey-facts';

const JOURNEY_CATEGORY = 'identification';
/** What the journey facts fold: the journeys, and the person registry (who is a child). */
const JOURNEY_FACT_CATEGORIES = [JOURNEY_CATEGORY, 'person', 'organisation'] as const;
/** What a service that needs no journey facts still needs: the organisation directory. */
const DIRECTORY_CATEGORIES = ['organisation'] as const;

export interface JourneyFactsFromBus {
  /** The same fold as `journeyFactsView(store)`, over the journeys' events as Kafka delivered them. */
  readonly view: LiveView<Map<string, OpenJourney>>;
  /** The organisation directory's ids, to refuse tokens naming an unknown organisation. */
  readonly organisations: LiveView<Set<string>>;
  readonly consumer: EventConsumer;
  stop(): Promise<void>;
}

/**
 * Copies delivered journey events into the replica, each at its own revision: a redelivered event
 * is a replayed append (nothing written), and an event arriving out of its stream's order (which
 * Kafka's per-key order rules out) fails the batch instead of folding a wrong state.
 */
export async function mirrorJourneyEvents(
  replica: EventStore,
  events: readonly RecordedEvent[],
  categories: readonly string[] = JOURNEY_FACT_CATEGORIES,
): Promise<void> {
  for (const event of events) {
    if (!categories.some((category) => streamInCategory(event.stream, category))) continue;
    const { recordedAt: _recordedAt, ...metadata } = event.metadata;
    await replica.append(
      event.stream,
      [
        {
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata,
        },
      ],
      { expectedRevision: event.revision === 0 ? 'no_stream' : event.revision - 1 },
    );
  }
}

/**
 * Every journey's identification facts for a service whose store does not hold the identification
 * service's events: a consumer of `waypoint.identification.v1` keeps an in-memory copy of the
 * journeys' streams, and `journeyFactsView` folds that copy exactly as it folds a store. The copy
 * lives as long as the process, so the group is new at every start and reads the topic from its
 * beginning (topics keep every event).
 */
export async function journeyFactsFromBus(
  bus: Bus,
  options: {
    readonly groupId: string;
    readonly logger?: BusLogger;
    /** False for a service that needs only the directory: the journeys are not copied. */
    readonly journeys?: boolean;
  },
): Promise<JourneyFactsFromBus> {
  const replica = new MemoryEventStore();
  const view = journeyFactsView(replica);
  const organisations = knownOrganisationsView(replica);
  const categories = options.journeys === false ? DIRECTORY_CATEGORIES : JOURNEY_FACT_CATEGORIES;
  const consumer = await consumeEvents(bus, {
    topics: [serviceTopic(JOURNEY_CATEGORY)],
    groupId: options.groupId,
    sink: (events) => mirrorJourneyEvents(replica, events, categories),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  return {
    view,
    organisations,
    consumer,
    stop: async () => {
      await consumer.stop();
      await view.stop();
      await organisations.stop();
      await replica.close();
    },
  };
}
