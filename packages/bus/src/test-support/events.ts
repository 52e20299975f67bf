import { randomBytes, randomUUID } from 'node:crypto';
import { newEventId, type JsonObject, type NewEvent } from '@waypoint/eventstore';

/** Fixtures for the bus specs: events shaped as the services write them. */
export const ACTOR = { userId: 'user-7', role: 'caseworker', orgId: randomUUID() } as const;

export function newEvent(
  type: string,
  data: JsonObject,
  trace?: { readonly traceparent: string; readonly tracestate?: string },
): NewEvent {
  const correlationId = randomUUID();
  return {
    id: newEventId(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: '2025-03-01T10:00:00.000Z',
      actor: ACTOR,
      correlationId,
      causationId: correlationId,
      ...(trace ?? {}),
    },
  };
}

/** What an encrypted field looks like once stored (random bytes: the bus never decrypts). */
export function ciphertext(path: string, category = 'identity'): JsonObject {
  const b64 = (size: number): string => randomBytes(size).toString('base64url');
  return {
    $enc: 'aes-256-gcm/v1',
    subject: randomUUID(),
    category,
    path,
    iv: b64(12),
    ct: b64(24),
    tag: b64(16),
  };
}

/** A shelter admission of a journey, with its encrypted justification. */
export function shelterAdmitted(): NewEvent {
  return newEvent('ShelterAdmitted', {
    placementId: randomUUID(),
    shelter: {
      shelterId: randomUUID(),
      operatorOrgId: randomUUID(),
      shelterType: 'emergency',
      secure: true,
      childOnly: false,
      adultsOnly: true,
    },
    presumedChild: false,
    freedomOfMovementRestricted: true,
    restriction: {
      justificationCode: 'threat_from_traffickers',
      justification: ciphertext('data.restriction.justification', 'notes'),
      reviewDate: '2025-04-01',
    },
  });
}

export function incidentRecorded(): NewEvent {
  return newEvent('IncidentRecorded', {
    incidentId: randomUUID(),
    kind: 'threat_from_traffickers',
    severity: 'high',
    occurredOn: '2025-03-02',
    policeNotified: true,
    description: ciphertext('data.description', 'notes'),
  });
}

export function shelterRegistered(shelterId: string): NewEvent {
  return newEvent('ShelterRegistered', {
    shelterId,
    operatorOrgId: randomUUID(),
    country: 'BE',
    name: 'Maison Sûre',
    type: 'specialised_trafficking',
    capacity: 12,
    childOnly: false,
    adultsOnly: true,
    secure: true,
    address: ciphertext('data.address', 'location'),
  });
}
