import { isEncryptedField, personFamily, type Category } from '@waypoint/contracts';
import type { EventStore, JsonValue, RecordedEvent } from '@waypoint/eventstore';
import type { EventCipher as Cipher } from '@waypoint/privacy';
import { streams } from '../streams.js';
import { erasureStreams, journeyStreamsOf } from './streams.js';

export interface ExportedEvent {
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** The recording role and organisation; a staff member's own id is theirs, not the person's. */
  readonly recordedBy: { readonly role: string; readonly orgId: string };
  /** Every personal value decrypted, or `{ $hidden: 'erased' }` where its key was destroyed. */
  readonly data: JsonValue;
}

export interface PersonExport {
  readonly personId: string;
  readonly exportedAt: string;
  readonly journeyIds: readonly string[];
  /** The registry, the legal holds, the erasure requests, then each journey's streams. */
  readonly events: readonly ExportedEvent[];
}

async function decryptAll(
  value: JsonValue,
  eventId: string,
  cipher: Cipher,
  revealed: Set<Category>,
): Promise<JsonValue> {
  if (isEncryptedField(value)) {
    const result = await cipher.decrypt(value, eventId);
    if (!result.ok) return { $hidden: 'erased', category: value.category };
    revealed.add(value.category);
    return result.value;
  }
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) items.push(await decryptAll(item, eventId, cipher, revealed));
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries: [string, JsonValue][] = [];
    for (const [key, item] of Object.entries(value)) {
      entries.push([key, await decryptAll(item, eventId, cipher, revealed)]);
    }
    return Object.fromEntries(entries);
  }
  return value;
}

async function read(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

/**
 * The right of access (GDPR Art. 15, IOM principle 7): everything held about a person across the
 * registry and every service's stream of each of their journeys, decrypted. Access records (who
 * read the person's data) are not included: they are about staff, and the access log serves them.
 * Returns the categories decrypted, for the access record the caller must append.
 */
export async function exportPerson(
  store: EventStore,
  cipher: Cipher,
  personId: string,
  requestIds: readonly string[],
  now: Date,
): Promise<{ export: PersonExport; categories: Set<Category> }> {
  const registry = await read(store, streams.person(personId));
  const journeyIds = registry.flatMap((recorded) => {
    const event = personFamily.decode(recorded);
    return event.type === 'PersonJourneyOpened' ? [event.data.journeyId] : [];
  });
  const names = [
    streams.person(personId),
    erasureStreams.legalHolds(personId),
    ...requestIds.map((requestId) => erasureStreams.request(requestId)),
    ...journeyIds.flatMap(journeyStreamsOf),
  ];
  const categories = new Set<Category>();
  const events: ExportedEvent[] = [];
  for (const name of names) {
    for (const recorded of name === streams.person(personId) ? registry : await read(store, name)) {
      events.push({
        stream: recorded.stream,
        revision: recorded.revision,
        eventId: recorded.id,
        type: recorded.type,
        occurredAt: recorded.metadata.occurredAt,
        recordedAt: recorded.metadata.recordedAt,
        recordedBy: { role: recorded.metadata.actor.role, orgId: recorded.metadata.actor.orgId },
        data: await decryptAll(recorded.data, recorded.id, cipher, categories),
      });
    }
  }
  return {
    export: { personId, exportedAt: now.toISOString(), journeyIds, events },
    categories,
  };
}
