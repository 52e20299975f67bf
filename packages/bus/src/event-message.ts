import type { RecordedEvent } from '@waypoint/eventstore';
import type { BusMessage } from './bus.js';
import { messageKey } from './message-key.js';

/** Header names of an event message: what a consumer can route on without parsing the value. */
export const HEADERS = {
  eventId: 'wp-event-id',
  type: 'wp-event-type',
  schemaVersion: 'wp-schema-version',
  stream: 'wp-stream',
  revision: 'wp-revision',
  position: 'wp-position',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  /** On a dead letter: why the consumer refused it, and where it came from. */
  deadLetterReason: 'wp-dlq-reason',
  deadLetterTopic: 'wp-dlq-topic',
  deadLetterPartition: 'wp-dlq-partition',
  deadLetterOffset: 'wp-dlq-offset',
  deadLetterGroup: 'wp-dlq-group',
} as const;

/**
 * A stored event as a message: the value is the RecordedEvent as stored, personal data still
 * encrypted (`$enc` objects); nothing is decrypted or dropped on the way.
 */
export function eventMessage(topic: string, event: RecordedEvent): BusMessage {
  const headers: Record<string, string> = {
    [HEADERS.eventId]: event.id,
    [HEADERS.type]: event.type,
    [HEADERS.schemaVersion]: String(event.schemaVersion),
    [HEADERS.stream]: event.stream,
    [HEADERS.revision]: String(event.revision),
    [HEADERS.position]: event.position,
    [HEADERS.contentType]: 'application/json',
  };
  if (event.metadata.traceparent) headers[HEADERS.traceparent] = event.metadata.traceparent;
  if (event.metadata.tracestate) headers[HEADERS.tracestate] = event.metadata.tracestate;
  return { topic, key: messageKey(event.stream), value: JSON.stringify(event), headers };
}
