import type { EventStore, NewEvent, RecordedEvent } from '@waypoint/eventstore';

/** Appends a built journey's events to a store, stream by stream, keeping ids and occurrence times. */
export async function appendRecorded(
  store: EventStore,
  recorded: readonly RecordedEvent[],
): Promise<void> {
  for (const event of recorded) {
    const { recordedAt: _recordedAt, ...metadata } = event.metadata;
    const input: NewEvent = {
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata,
    };
    await store.append(event.stream, [input]);
  }
}
