import { serviceTopic } from '@waypoint/bus';
import { streamInCategory, type ReadAllFilter } from '@waypoint/eventstore';

/**
 * Which stream categories each service writes, so which topic carries them: the relay of a service
 * forwards exactly these (a shared store holds every service's streams), and a read model fed from
 * Kafka subscribes to the topics whose categories its filter names. One table, kept beside the
 * services' `streams.ts` helpers: a category added there must be added here.
 */
export const SERVICE_CATEGORIES = {
  identification: [
    'identification',
    'person',
    'organisation',
    'grant',
    'access-identification',
    'access-breakglass',
  ],
  shelter: ['shelter', 'shelterregistry', 'access-shelter', 'shelteraccess'],
  care: ['care', 'access-care'],
  legal: ['legal', 'access-legal'],
  reintegration: ['reintegration', 'access-reintegration'],
  journey: ['access-journey'],
  audit: ['audit', 'access-audit'],
  analytics: ['analytics'],
} as const satisfies Record<string, readonly string[]>;

export type ServiceName = keyof typeof SERVICE_CATEGORIES;

export const SERVICE_NAMES = Object.keys(SERVICE_CATEGORIES) as ServiceName[];

/** The services whose relay also sends curated public events to the integration topic. */
export const INTEGRATION_SERVICES: readonly ServiceName[] = ['identification', 'shelter'];

/** True when streams of category `written` can belong to category `wanted` (equal, or below it). */
function covers(wanted: string, written: string): boolean {
  return wanted === written || streamInCategory(written, wanted);
}

/**
 * The event topics a read model needs: those of every service writing a category its filter names
 * (`access` names every service's access records). A filter with no categories needs them all.
 */
export function topicsFor(filter: ReadAllFilter | undefined): string[] {
  const wanted = filter?.categories;
  return SERVICE_NAMES.filter(
    (service) =>
      wanted === undefined ||
      SERVICE_CATEGORIES[service].some((written) => wanted.some((w) => covers(w, written))),
  ).map((service) => serviceTopic(service));
}
