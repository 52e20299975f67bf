import type { JsonObject, JsonValue, RecordedEvent } from '@waypoint/eventstore';

/**
 * The curated integration topic, for systems outside Waypoint. It carries public facts about
 * institutions (the directory of organisations and the shelter registry) and nothing about any
 * person: no journey or person ids, no actor (a user id is a staff member's personal data), no
 * trace context, and no encrypted field either, since ciphertext is still personal data. Only the
 * allowlisted types below pass, and of those only the listed clear, coarse fields, and only when
 * they hold a plain value (a string, number, boolean or a list of them): an object, where an
 * `$enc` envelope could hide, is never copied.
 */
export interface IntegrationEvent {
  /** The stored event's id: outside systems deduplicate on it. */
  readonly id: string;
  readonly type: string;
  /** The version of this curated shape, not of the stored event. */
  readonly version: 1;
  readonly occurredAt: string;
  readonly subject: { readonly kind: 'organisation' | 'shelter'; readonly id: string };
  readonly data: JsonObject;
}

interface Curation {
  /** The stream category the event must come from. */
  readonly category: string;
  readonly subject: IntegrationEvent['subject']['kind'];
  /** The fields copied, when present and plain. */
  readonly fields: readonly string[];
}

const SHELTER_PROFILE = ['name', 'type', 'capacity', 'childOnly', 'adultsOnly', 'secure'] as const;

/** The allowlist: event type to what of it may leave. Everything else stays inside. */
export const INTEGRATION_CURATIONS: Readonly<Record<string, Curation>> = {
  OrganisationRegistered: {
    category: 'organisation',
    subject: 'organisation',
    fields: ['name', 'type', 'country', 'acceptsReferrals', 'services'],
  },
  ShelterRegistered: {
    category: 'shelterregistry',
    subject: 'shelter',
    fields: ['operatorOrgId', 'country', ...SHELTER_PROFILE],
  },
  ShelterUpdated: { category: 'shelterregistry', subject: 'shelter', fields: SHELTER_PROFILE },
  ShelterClosed: { category: 'shelterregistry', subject: 'shelter', fields: ['reasonCode'] },
};

type Plain = string | number | boolean;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function plainValue(value: unknown): JsonValue | undefined {
  if (isPlain(value)) return value;
  if (Array.isArray(value) && value.every(isPlain)) return [...value];
  return undefined;
}

/** The curated form of an event, or null when the event does not leave Waypoint. */
export function curateForIntegration(event: RecordedEvent): IntegrationEvent | null {
  const curation = INTEGRATION_CURATIONS[event.type];
  if (!curation) return null;
  const prefix = `${curation.category}-`;
  if (!event.stream.startsWith(prefix)) return null;
  const data: JsonObject = {};
  for (const field of curation.fields) {
    const value = plainValue(event.data[field]);
    if (value !== undefined) data[field] = value;
  }
  return {
    id: event.id,
    type: event.type,
    version: 1,
    occurredAt: event.metadata.occurredAt,
    subject: { kind: curation.subject, id: event.stream.slice(prefix.length) },
    data,
  };
}
