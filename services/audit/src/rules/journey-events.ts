import {
  careFamily,
  effectiveEntries,
  identificationFamily,
  legalFamily,
  localDate,
  personFamily,
  reintegrationFamily,
  shelterFamily,
  type CareEvent,
  type IdentificationEvent,
  type LegalEvent,
  type PersonEvent,
  type ReintegrationEvent,
  type ShelterEvent,
} from '@waypoint/contracts';
import type { Actor, RecordedEvent } from '@waypoint/eventstore';

/**
 * A journey's events as the rules see them: decoded with the family of the stream they are in
 * (the shelter's and the reintegration service's `RiskAssessmentCompleted` are different events),
 * corrections applied, in occurrence order.
 */
interface FamilyEvents {
  identification: IdentificationEvent;
  person: PersonEvent;
  shelter: ShelterEvent;
  care: CareEvent;
  legal: LegalEvent;
  reintegration: ReintegrationEvent;
}
export type FamilyName = keyof FamilyEvents;
export type TypeOf<F extends FamilyName> = FamilyEvents[F]['type'];
export type DataOf<F extends FamilyName, T extends TypeOf<F>> = Extract<
  FamilyEvents[F],
  { readonly type: T }
>['data'];

export interface AuditEvent {
  /** The stored event's id: what findings cite as evidence. */
  readonly id: string;
  /** The event whose data this carries: the amendment's for an amended event (its encryption AAD). */
  readonly dataEventId: string;
  readonly stream: string;
  readonly family: FamilyName;
  readonly type: string;
  readonly data: unknown;
  /** When it happened (UTC); for a fact stated by day, that day at 00:00Z. */
  readonly occurredAt: string;
  /** The local date it happened on, in the jurisdiction's zone (a fact stated by day keeps its day). */
  readonly day: string;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly legalBasis: string | undefined;
}

export interface Fact<F extends FamilyName, T extends TypeOf<F>> extends AuditEvent {
  readonly family: F;
  readonly type: T;
  readonly data: DataOf<F, T>;
}

const FAMILIES = {
  identification: identificationFamily,
  person: personFamily,
  shelter: shelterFamily,
  care: careFamily,
  legal: legalFamily,
  reintegration: reintegrationFamily,
} as const;

/** The family a journey's stream belongs to, by its category; undefined for streams the rules ignore. */
export function familyOfStream(stream: string): FamilyName | undefined {
  const category = stream.slice(0, stream.indexOf('-'));
  return Object.hasOwn(FAMILIES, category) ? (category as FamilyName) : undefined;
}

/** The stable order of the rules: occurrence time, then event id; never the recorded position. */
export function byOccurrence(a: AuditEvent, b: AuditEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A fact stated by day (legal `occurredOn`) keeps that day; anything else is dated in the zone. */
function dayOf(data: unknown, occurredAt: string, timeZone: string): string {
  const stated = (data as { occurredOn?: unknown } | null)?.occurredOn;
  return typeof stated === 'string' ? stated : localDate(occurredAt, timeZone);
}

/**
 * When an amended fact now happened: the care and legal services take occurrence time from the
 * data (delivery time, the day a body acted), so an amendment of that data moves the event.
 */
function occurrenceOf(family: FamilyName, type: string, data: unknown, recorded: string): string {
  const fields = data as Record<string, unknown>;
  if (family === 'legal' && typeof fields.occurredOn === 'string')
    return `${fields.occurredOn}T00:00:00.000Z`;
  if (family === 'care' && type === 'CareDelivered' && typeof fields.deliveredAt === 'string')
    return new Date(fields.deliveredAt).toISOString();
  if (family === 'care' && type === 'AssistanceEnded' && typeof fields.endedAt === 'string')
    return new Date(fields.endedAt).toISOString();
  return recorded;
}

/**
 * Decodes a journey's recorded events (any of its streams, in any order), applies each stream's
 * retractions and amendments, and sorts the result by occurrence. Events of streams the rules do
 * not read are left out.
 */
export function journeyEvents(recorded: readonly RecordedEvent[], timeZone: string): AuditEvent[] {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of recorded) {
    if (familyOfStream(event.stream) === undefined) continue;
    const list = byStream.get(event.stream) ?? [];
    list.push(event);
    byStream.set(event.stream, list);
  }
  const events: AuditEvent[] = [];
  for (const [stream, list] of byStream) {
    const family = familyOfStream(stream);
    if (family === undefined) continue;
    const codec = FAMILIES[family];
    const ordered = [...list].sort((a, b) => a.revision - b.revision);
    const byId = new Map(ordered.map((event) => [event.id, event]));
    const history = ordered
      .filter((event) => codec.has(event.type))
      .map((event) => ({
        eventId: event.id,
        event: codec.decode(event),
      }));
    for (const entry of effectiveEntries(history)) {
      const source = byId.get(entry.eventId);
      if (!source) continue;
      const amended = entry.dataEventId !== entry.eventId;
      const occurredAt = amended
        ? occurrenceOf(family, entry.event.type, entry.event.data, source.metadata.occurredAt)
        : source.metadata.occurredAt;
      events.push({
        id: entry.eventId,
        dataEventId: entry.dataEventId,
        stream,
        family,
        type: entry.event.type,
        data: entry.event.data,
        occurredAt,
        day: dayOf(entry.event.data, occurredAt, timeZone),
        recordedAt: source.metadata.recordedAt,
        actor: source.metadata.actor,
        legalBasis: source.metadata.legalBasis,
      });
    }
  }
  return events.sort(byOccurrence);
}

export function isFact<F extends FamilyName, T extends TypeOf<F>>(
  event: AuditEvent,
  family: F,
  type: T,
): event is Fact<F, T> {
  return event.family === family && event.type === type;
}

/** The events of one family and type, in occurrence order. */
export function factsOf<F extends FamilyName, T extends TypeOf<F>>(
  events: readonly AuditEvent[],
  family: F,
  type: T,
): Fact<F, T>[] {
  return events.filter((event): event is Fact<F, T> => isFact(event, family, type));
}
