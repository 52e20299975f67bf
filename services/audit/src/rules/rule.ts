import type { AuditEvent } from './journey-events.js';
import type { AuditLimits, JurisdictionProfile } from './jurisdiction-profile.js';

export type Severity = 'breach' | 'flag';

/** The instrument and article a rule comes from, as the audit output cites it. */
export interface Citation {
  readonly instrument: string;
  readonly article: string;
}

/**
 * A rule's finding: which rule (and version), how severe, when the breach occurred, the events that
 * show it, and a machine-readable reason. Never any personal data: ids, codes and times only.
 */
export interface Finding {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly severity: Severity;
  /** When the breach occurred (occurrence time, UTC). */
  readonly occurredAt: string;
  readonly evidenceEventIds: readonly string[];
  /** lower_snake code, e.g. `removal_during_reflection_period`. */
  readonly reason: string;
}

/** What a rule evaluates: one journey's effective events in occurrence order, and its context. */
export interface RuleInput {
  readonly journeyId: string;
  readonly jurisdiction: string;
  readonly events: readonly AuditEvent[];
  readonly profile: JurisdictionProfile;
  /**
   * The moment of evaluation, passed in by the caller (a scheduler, or the as-of date of an
   * audit): rules that fire on the absence of an event compare deadlines with it.
   */
  readonly now: string;
}

/** A finding as a rule states it; the catalogue adds the rule's id and version. */
export interface RuleFinding {
  readonly severity: Severity;
  readonly occurredAt: string;
  readonly evidenceEventIds: readonly string[];
  readonly reason: string;
}

export interface Rule {
  readonly id: string;
  readonly version: number;
  /** The first date (UTC) the version applies. */
  readonly effectiveFrom: string;
  readonly title: string;
  readonly sources: readonly Citation[];
  /** The severities the rule can give. */
  readonly severities: readonly Severity[];
  /** The limit it uses, as the catalogue states it (a configured key, or a fixed legal limit). */
  readonly limit: string;
  readonly limitKeys: readonly (keyof AuditLimits)[];
  /** What it checks and the events a finding cites. */
  readonly checks: string;
  readonly evidence: string;
  evaluate(input: RuleInput): RuleFinding[];
}

export const breach = (
  occurredAt: string,
  evidence: readonly (string | undefined)[],
  reason: string,
): RuleFinding => ({
  severity: 'breach',
  occurredAt,
  evidenceEventIds: evidence.filter((id): id is string => id !== undefined),
  reason,
});

export const flag = (
  occurredAt: string,
  evidence: readonly (string | undefined)[],
  reason: string,
): RuleFinding => ({
  severity: 'flag',
  occurredAt,
  evidenceEventIds: evidence.filter((id): id is string => id !== undefined),
  reason,
});
