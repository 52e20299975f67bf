import type { RecordedEvent } from '@waypoint/eventstore';
import { journeyOfStream, type TimelineEntry } from '../summary/domain/timeline-entry.js';

/** The journey's view of a stored event, or undefined for events that are not a journey's. */
export function toTimelineEntry(event: RecordedEvent): TimelineEntry | undefined {
  const owner = journeyOfStream(event.stream);
  if (!owner) return undefined;
  const { actor, occurredAt, recordedAt, legalBasis } = event.metadata;
  return {
    eventId: event.id,
    journeyId: owner.journeyId,
    stream: event.stream,
    service: owner.service,
    revision: event.revision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    occurredAt,
    recordedAt,
    actor: { userId: actor.userId, role: actor.role, orgId: actor.orgId },
    legalBasis: legalBasis ?? null,
    position: event.position,
  };
}

/** A timeline row as the read model returns it. */
export interface TimelineRow {
  event_id: string;
  journey_id: string;
  stream: string;
  service: string;
  revision: string | number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  occurred_at: Date | string;
  recorded_at: Date | string;
  actor_user: string;
  actor_role: string;
  actor_org: string;
  legal_basis: string | null;
  position: string;
  [column: string]: unknown;
}

const iso = (value: Date | string): string =>
  value instanceof Date ? value.toISOString() : new Date(value).toISOString();

export function entryFromRow(row: TimelineRow): TimelineEntry {
  return {
    eventId: row.event_id,
    journeyId: row.journey_id,
    stream: row.stream,
    service: row.service,
    revision: Number(row.revision),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    occurredAt: iso(row.occurred_at),
    recordedAt: iso(row.recorded_at),
    actor: { userId: row.actor_user, role: row.actor_role, orgId: row.actor_org },
    legalBasis: row.legal_basis,
    position: row.position,
  };
}

export const TIMELINE_COLUMNS =
  'event_id, journey_id, stream, service, revision, type, schema_version, data, occurred_at, recorded_at, actor_user, actor_role, actor_org, legal_basis, position';
