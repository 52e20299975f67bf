import {
  careFamily,
  identificationFamily,
  legalFamily,
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
import type { JsonObject, RecordedEvent } from '@waypoint/eventstore';

/**
 * Builds a journey's recorded events for specs, the way the write services store them: one stream
 * per service, gapless revisions, occurrence and record times chosen by the spec. Ids are
 * deterministic (a counter in a UUID shape), so findings can be asserted by id.
 */

let journeyCounter = 0;

const uuid = (prefix: number, n: number): string =>
  `0197${prefix.toString(16).padStart(4, '0')}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

interface FamilyCodec {
  encode(event: { type: string; data: unknown }): {
    type: string;
    schemaVersion: number;
    data: JsonObject;
  };
}

export interface JourneyBuilder {
  readonly journeyId: string;
  readonly personId: string;
  readonly recorded: RecordedEvent[];
  identification(at: string, event: IdentificationEvent): string;
  person(at: string, event: PersonEvent): string;
  shelter(at: string, event: ShelterEvent): string;
  care(at: string, event: CareEvent): string;
  /**
   * A legal fact occurs on its `occurredOn` day, as the legal service stores it; a correction
   * occurs when it is recorded (`recordedAt`, required for one).
   */
  legal(event: LegalEvent, recordedAt?: string): string;
  reintegration(at: string, event: ReintegrationEvent): string;
  /** A fresh id in this journey's shape (for referral, consent and claim ids). */
  id(): string;
}

export const ORG = '0197aaaa-0000-7000-8000-000000000001';

export function journeyBuilder(): JourneyBuilder {
  journeyCounter += 1;
  const prefix = journeyCounter;
  let counter = 0;
  const nextId = (): string => uuid(prefix, ++counter);
  const journeyId = nextId();
  const personId = nextId();
  const revisions = new Map<string, number>();
  const recorded: RecordedEvent[] = [];
  const append = (
    stream: string,
    codec: FamilyCodec,
    event: { type: string; data: unknown },
    occurredAt: string,
    recordedAt = occurredAt,
  ): string => {
    const encoded = codec.encode(event);
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    const id = nextId();
    recorded.push({
      id,
      ...encoded,
      stream,
      revision,
      position: String(recorded.length).padStart(12, '0'),
      prevHash: null,
      hash: id,
      metadata: {
        occurredAt: new Date(occurredAt).toISOString(),
        recordedAt: new Date(recordedAt).toISOString(),
        actor: { userId: 'spec', role: 'caseworker', orgId: ORG },
        correlationId: 'spec',
        causationId: 'spec',
      },
    });
    return id;
  };
  return {
    journeyId,
    personId,
    recorded,
    id: nextId,
    identification: (at, event) =>
      append(`identification-${journeyId}`, identificationFamily, event, at),
    person: (at, event) => append(`person-${personId}`, personFamily, event, at),
    shelter: (at, event) => append(`shelter-${journeyId}`, shelterFamily, event, at),
    care: (at, event) => append(`care-${journeyId}`, careFamily, event, at),
    legal: (event, recordedAt) => {
      const day = 'occurredOn' in event.data ? event.data.occurredOn : undefined;
      const occurredAt = day === undefined ? (recordedAt ?? '') : `${day}T00:00:00.000Z`;
      return append(`legal-${journeyId}`, legalFamily, event, occurredAt, recordedAt ?? occurredAt);
    },
    reintegration: (at, event) =>
      append(`reintegration-${journeyId}`, reintegrationFamily, event, at),
  };
}
