import { localDate } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { rulesInForce } from './catalogue.js';
import { factsOf, journeyEvents, type AuditEvent } from './journey-events.js';
import { profileInForce, type JurisdictionProfile } from './jurisdiction-profile.js';
import type { Finding, Rule } from './rule.js';

export interface Evaluation {
  readonly journeyId: string;
  readonly jurisdiction: string;
  readonly profile: { readonly jurisdiction: string; readonly version: number };
  readonly rules: readonly { readonly id: string; readonly version: number }[];
  readonly findings: readonly Finding[];
}

/** A finding's identity across evaluations: its rule, its reason and the events it cites. */
export function findingKey(journeyId: string, finding: Finding): string {
  return `${journeyId}/${finding.ruleId}/${finding.reason}/${[...finding.evidenceEventIds].sort().join('+')}`;
}

/** Stable order: when it occurred, then rule, reason and evidence. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.occurredAt.localeCompare(b.occurredAt) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.reason.localeCompare(b.reason) ||
    a.evidenceEventIds.join().localeCompare(b.evidenceEventIds.join())
  );
}

/** The jurisdiction's profile in force at an instant, dated in the profile's own zone. */
export function profileAt(
  profiles: readonly JurisdictionProfile[],
  jurisdiction: string,
  at: string,
): JurisdictionProfile {
  const first = profileInForce(profiles, jurisdiction, at.slice(0, 10));
  const local = localDate(at, first.timeZone);
  return local === at.slice(0, 10) ? first : profileInForce(profiles, jurisdiction, local);
}

/** Runs rules over one journey's effective events (already decoded, corrected and sorted). */
export function evaluateEvents(input: {
  readonly journeyId: string;
  readonly jurisdiction: string;
  readonly events: readonly AuditEvent[];
  readonly profile: JurisdictionProfile;
  readonly rules: readonly Rule[];
  readonly now: string;
}): Finding[] {
  return input.rules
    .flatMap((rule) =>
      rule.evaluate(input).map((finding): Finding => ({
        ruleId: rule.id,
        ruleVersion: rule.version,
        severity: finding.severity,
        occurredAt: finding.occurredAt,
        evidenceEventIds: finding.evidenceEventIds,
        reason: finding.reason,
      })),
    )
    .sort(compareFindings);
}

/**
 * Audits one journey as of `asOf`: what was known then (events recorded by then, corrections
 * included) about what had happened by then, judged by the rule versions and the jurisdiction
 * profile in force then. With `asOf` the present, it is the current audit.
 */
export function auditJourney(input: {
  readonly journeyId: string;
  /** Every event of the journey's streams (and its person's registry stream), in any order. */
  readonly recorded: readonly RecordedEvent[];
  readonly profiles: readonly JurisdictionProfile[];
  readonly asOf: string;
}): Evaluation | undefined {
  const known = input.recorded.filter((event) => event.metadata.recordedAt <= input.asOf);
  const opening = known.find(
    (event) => event.type === 'JourneyOpened' && event.stream.startsWith('identification-'),
  );
  if (!opening) return undefined;
  const jurisdiction = (opening.data as { jurisdiction: string }).jurisdiction;
  const profile = profileAt(input.profiles, jurisdiction, input.asOf);
  const events = journeyEvents(known, profile.timeZone).filter(
    (event) => event.occurredAt <= input.asOf,
  );
  if (factsOf(events, 'identification', 'JourneyOpened').length === 0) return undefined;
  const rules = rulesInForce(input.asOf);
  return {
    journeyId: input.journeyId,
    jurisdiction,
    profile: { jurisdiction: profile.jurisdiction, version: profile.version },
    rules: rules.map((rule) => ({ id: rule.id, version: rule.version })),
    findings: evaluateEvents({
      journeyId: input.journeyId,
      jurisdiction,
      events,
      profile,
      rules,
      now: input.asOf,
    }),
  };
}
