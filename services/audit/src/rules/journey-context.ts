import { factsOf, isFact, type AuditEvent, type Fact } from './journey-events.js';

/** Facts about the person and the journey several rules need, read from the journey's events. */

/** The person's registry entry (the rules use its coarse codes only). */
export function personRecord(
  events: readonly AuditEvent[],
): Fact<'person', 'PersonRegistered'> | undefined {
  return factsOf(events, 'person', 'PersonRegistered')[0];
}

/**
 * Whether the person counted as a child at `at`: registered as a child, or presumed one from the
 * first reason to believe it (age uncertainty, an unaccompanied child) until an age assessment
 * says adult (CoE 10(3)). Events at `at` itself count.
 */
export function childAt(events: readonly AuditEvent[], at: string): boolean {
  let child = personRecord(events)?.data.child === 'yes';
  for (const event of events) {
    if (event.occurredAt > at) break;
    if (
      isFact(event, 'identification', 'AgeUncertaintyRecorded') ||
      isFact(event, 'identification', 'UnaccompaniedChildRecorded')
    )
      child = true;
    if (isFact(event, 'identification', 'AgeAssessed')) child = event.data.outcome === 'child';
  }
  return child;
}

/** The first positive reasonable-grounds decision. */
export function positiveReasonableGrounds(
  events: readonly AuditEvent[],
): Fact<'identification', 'ReasonableGroundsDecided'> | undefined {
  return factsOf(events, 'identification', 'ReasonableGroundsDecided').find(
    (event) => event.data.outcome === 'positive',
  );
}

/** The first conclusive decision of any outcome. */
export function conclusiveDecision(
  events: readonly AuditEvent[],
): Fact<'identification', 'ConclusiveGroundsDecided'> | undefined {
  return factsOf(events, 'identification', 'ConclusiveGroundsDecided')[0];
}

/**
 * Whether the person is not a national of the jurisdiction's country; undefined when the registry
 * entry is not among the events (then rules that depend on it stay silent).
 */
export function nonNational(
  events: readonly AuditEvent[],
  jurisdiction: string,
): boolean | undefined {
  const person = personRecord(events);
  if (!person) return undefined;
  return !person.data.citizenship.includes(jurisdiction.slice(0, 2));
}

/** The events before (or at) `at`. */
export function until(events: readonly AuditEvent[], at: string): AuditEvent[] {
  return events.filter((event) => event.occurredAt <= at);
}

/** The first assistance: care delivered or a shelter admission. */
export function firstAssistance(events: readonly AuditEvent[]): AuditEvent | undefined {
  return events.find(
    (event) =>
      isFact(event, 'care', 'CareDelivered') || isFact(event, 'shelter', 'ShelterAdmitted'),
  );
}

/** A reflection period with its effective end: the earlier of its end and an early end recorded. */
export interface ReflectionPeriod {
  readonly granted: Fact<'legal', 'RecoveryReflectionPeriodGranted'>;
  readonly ended: Fact<'legal', 'RecoveryReflectionPeriodEnded'> | undefined;
  readonly start: string;
  /** The last day it ran (inclusive). */
  readonly lastDay: string;
}

export function reflectionPeriods(events: readonly AuditEvent[]): ReflectionPeriod[] {
  const endings = factsOf(events, 'legal', 'RecoveryReflectionPeriodEnded');
  return factsOf(events, 'legal', 'RecoveryReflectionPeriodGranted').map((granted) => {
    const ended = endings.find((end) => end.data.periodId === granted.data.periodId);
    const endedEarly = ended !== undefined && ended.data.occurredOn < granted.data.end;
    return {
      granted,
      ended,
      start: granted.data.start,
      lastDay: endedEarly ? ended.data.occurredOn : granted.data.end,
    };
  });
}

/** Offences victims are typically compelled to commit: an unknown link counts for them. */
const COMPELLED_OFFENCES = new Set([
  'irregular_entry',
  'irregular_stay',
  'false_documents',
  'soliciting',
  'drug_cultivation',
  'theft',
  'begging',
]);

export function linkedToTrafficking(
  offence: string | undefined,
  linked: string | undefined,
): boolean {
  if (linked === 'yes') return true;
  return linked !== 'no' && offence !== undefined && COMPELLED_OFFENCES.has(offence);
}
