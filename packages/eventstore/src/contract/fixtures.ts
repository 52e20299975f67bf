import { newEventId } from '../event-id.js';
import type { JsonObject, NewEvent, RecordedEvent } from '@waypoint/contracts';

let sequence = 0;

/** A well-formed event for tests. */
export function testEvent(
  type = 'ThingHappened',
  data: JsonObject = {},
  overrides: Partial<NewEvent> = {},
): NewEvent {
  sequence += 1;
  return {
    id: newEventId(),
    type,
    schemaVersion: 1,
    data: { n: sequence, ...data },
    metadata: {
      occurredAt: '2026-01-15T09:30:00.000Z',
      actor: { userId: 'user-1', role: 'caseworker', orgId: 'org-1' },
      correlationId: 'correlation-1',
      causationId: 'causation-1',
    },
    ...overrides,
  };
}

export function testEvents(count: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: count }, () => testEvent(type));
}

/** A stream name no other test uses. */
export function uniqueStream(category = 'test'): string {
  return `${category}-${newEventId()}`;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export const ids = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);
export const revisions = (events: readonly RecordedEvent[]): number[] =>
  events.map((event) => event.revision);
