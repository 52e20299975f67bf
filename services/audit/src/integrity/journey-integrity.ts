import type { EventStore, VerifyResult } from '@waypoint/eventstore';
import type { FindingIntegrity } from '../findings/finding-answer.js';

/** The access-record streams services keep per journey (`access-<service>-<journeyId>`). */
const ACCESS_SERVICES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
  'journey',
  'audit',
  'breakglass',
];

export function journeyStreamNames(journeyId: string, personId?: string): string[] {
  return [
    ...['identification', 'shelter', 'care', 'legal', 'reintegration', 'audit'].map(
      (category) => `${category}-${journeyId}`,
    ),
    ...ACCESS_SERVICES.map((service) => `access-${service}-${journeyId}`),
    ...(personId === undefined ? [] : [`person-${personId}`]),
  ];
}

export interface JourneyIntegrity {
  readonly journeyId: string;
  readonly ok: boolean;
  /** Every existing stream of the journey, verified. */
  readonly streams: readonly VerifyResult[];
}

/** Recomputes the hash chain of every stream of the journey (and its person) and reports breaks. */
export async function verifyJourney(
  store: EventStore,
  journeyId: string,
  personId?: string,
): Promise<JourneyIntegrity> {
  const results = await Promise.all(
    journeyStreamNames(journeyId, personId).map(async (stream) =>
      (await store.streamRevision(stream)) === null ? undefined : store.verifyStream(stream),
    ),
  );
  const streams = results.filter((result): result is VerifyResult => result !== undefined);
  return { journeyId, ok: streams.every((result) => result.ok), streams };
}

/**
 * The broken streams a journey's findings depend on: the service streams and the person's
 * registry stream the rules read, and the audit stream their reviews are kept in. Access records
 * play no part in a finding.
 */
export function brokenFindingStreams(integrity: JourneyIntegrity): string[] {
  return integrity.streams
    .filter((result) => !result.ok && !result.stream.startsWith('access-'))
    .map((result) => result.stream);
}

/** What a journey's findings are worth, given its integrity. */
export function findingIntegrity(integrity: JourneyIntegrity): FindingIntegrity {
  return brokenFindingStreams(integrity).length === 0 ? 'verified' : 'unverifiable';
}

/** A journey's integrity as a findings answer states it: its worth, and the streams at fault. */
export function findingsIntegrityAnswer(integrity: JourneyIntegrity): {
  status: FindingIntegrity;
  brokenStreams: string[];
} {
  return { status: findingIntegrity(integrity), brokenStreams: brokenFindingStreams(integrity) };
}
