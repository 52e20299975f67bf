import {
  careFamily,
  identificationFamily,
  isEncryptedField,
  legalFamily,
  personFamily,
  reintegrationFamily,
  shelterFamily,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { sealedFrom, type Sealed } from '@waypoint/privacy';
import { childAt, reflectionPeriods } from '../rules/journey-context.js';
import {
  factsOf,
  isFact,
  journeyEvents,
  type AuditEvent,
  type FamilyName,
} from '../rules/journey-events.js';
import type { Finding } from '../rules/rule.js';

/**
 * The decision log of a journey: every decision taken through Waypoint and every decision of an
 * outside body recorded as a fact, with who took it (actor or deciding body, role, organisation),
 * its legal basis and reason codes, the rationale still sealed (revealed later only to roles that
 * may read notes), the journey as it was known at that moment, and the findings that cite it.
 */

const FAMILIES = {
  identification: identificationFamily,
  person: personFamily,
  shelter: shelterFamily,
  care: careFamily,
  legal: legalFamily,
  reintegration: reintegrationFamily,
} as const;

/** Facts that record a decision of an outside body (a court, an authority, a panel). */
const OUTSIDE_DECISIONS = new Set([
  'ReasonableGroundsDecided',
  'ConclusiveGroundsDecided',
  'AgeAssessed',
  'GuardianAppointed',
  'RecoveryReflectionPeriodGranted',
  'RecoveryReflectionPeriodEnded',
  'RemovalOrderIssued',
  'RemovalEnforced',
  'DetentionStarted',
  'ResidencePermitDecided',
  'InternationalProtectionClaimDecided',
  'ProsecutionDecided',
  'PenaltyImposed',
  'CompensationDecided',
  'BestInterestsDetermined',
  'ReturnDecided',
  'ReturnExecuted',
]);

export interface DecidingBody {
  readonly type: string;
  readonly name: string;
  readonly orgId?: string;
}

export interface KnownState {
  readonly presumedChild: boolean;
  readonly reasonableGrounds: 'positive' | 'negative' | 'none';
  readonly conclusive: string;
  readonly guardianAppointed: boolean;
  readonly servicesConsentValid: boolean;
  readonly sharingConsentValid: boolean;
  readonly inReflectionPeriod: boolean;
  readonly protectionClaimPending: boolean;
  readonly cooperation: string;
  /** How many events were known at the moment of the decision. */
  readonly eventsKnown: number;
}

export interface DecisionEntry {
  readonly eventId: string;
  readonly type: string;
  readonly family: FamilyName;
  readonly origin: 'decision' | 'fact' | 'record';
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: { readonly userId: string; readonly role: string; readonly orgId: string };
  readonly decidingBody: DecidingBody | undefined;
  readonly legalBasis: string | undefined;
  readonly reasonCodes: readonly string[];
  /** Free-text rationale, still encrypted. */
  readonly rationale: readonly Sealed[];
  readonly knownState: KnownState;
  readonly findings: readonly Pick<Finding, 'ruleId' | 'ruleVersion' | 'severity' | 'reason'>[];
}

const BODY_FIELDS = [
  'decidingBody',
  'actingBody',
  'appointedBy',
  'determinedBy',
  'assessedBy',
  'executedBy',
  'lodgedWith',
];

function decidingBodyOf(data: Record<string, unknown>): DecidingBody | undefined {
  for (const field of BODY_FIELDS) {
    const body = data[field] as { type?: unknown; name?: unknown; orgId?: unknown } | undefined;
    if (body && typeof body.type === 'string' && typeof body.name === 'string')
      return {
        type: body.type,
        name: body.name,
        ...(typeof body.orgId === 'string' ? { orgId: body.orgId } : {}),
      };
  }
  return undefined;
}

function reasonCodesOf(data: Record<string, unknown>): string[] {
  const codes: string[] = [];
  if (Array.isArray(data.reasonCodes))
    codes.push(...data.reasonCodes.filter((code) => typeof code === 'string'));
  for (const field of ['reason', 'reasonCode', 'outcome', 'status', 'kind', 'durableSolution']) {
    const value = data[field];
    if (typeof value === 'string') codes.push(`${field}:${value}`);
  }
  if (Array.isArray(data.grounds))
    codes.push(...data.grounds.map((ground) => `ground:${String(ground)}`));
  return codes;
}

function rationaleOf(data: Record<string, unknown>, dataEventId: string): Sealed[] {
  const candidates = [
    data.rationale,
    data.reasons,
    data.explanation,
    data.reason,
    (data.override as { reason?: unknown } | undefined)?.reason,
  ];
  return candidates
    .map((value) => sealedFrom(value, dataEventId, isEncryptedField))
    .filter((sealed): sealed is Sealed => sealed !== undefined);
}

function knownStateAt(events: readonly AuditEvent[], decision: AuditEvent): KnownState {
  const known = events.filter(
    (event) =>
      event.recordedAt <= decision.recordedAt &&
      event.occurredAt <= decision.occurredAt &&
      event.id !== decision.id,
  );
  const at = decision.occurredAt;
  const grounds = factsOf(known, 'identification', 'ReasonableGroundsDecided').at(-1);
  const conclusive = factsOf(known, 'identification', 'ConclusiveGroundsDecided').at(-1);
  const withdrawn = new Set(
    factsOf(known, 'identification', 'ConsentWithdrawn').map((event) => event.data.consentId),
  );
  const consentValid = (scope: string): boolean =>
    factsOf(known, 'identification', 'ConsentRecorded').some(
      (consent) =>
        consent.data.scope === scope &&
        !withdrawn.has(consent.data.consentId) &&
        (consent.data.validUntil === undefined || consent.data.validUntil > at),
    );
  const day = decision.day;
  const pending = new Set<string>();
  for (const event of known) {
    if (isFact(event, 'legal', 'InternationalProtectionClaimLodged'))
      pending.add(event.data.claimId);
    if (isFact(event, 'legal', 'InternationalProtectionClaimDecided'))
      pending.delete(event.data.claimId);
  }
  return {
    presumedChild: childAt(known, at),
    reasonableGrounds: grounds?.data.outcome ?? 'none',
    conclusive: conclusive?.data.status ?? 'none',
    guardianAppointed: factsOf(known, 'identification', 'GuardianAppointed').length > 0,
    servicesConsentValid: consentValid('services'),
    sharingConsentValid: consentValid('sharing'),
    inReflectionPeriod: reflectionPeriods(known).some(
      (period) => period.start <= day && day <= period.lastDay,
    ),
    protectionClaimPending: pending.size > 0,
    cooperation:
      factsOf(known, 'legal', 'CooperationStatusChanged').at(-1)?.data.status ?? 'unknown',
    eventsKnown: known.length,
  };
}

/** The decisions of a journey, oldest first, each with what was known when it was taken. */
export function decisionLog(input: {
  readonly recorded: readonly RecordedEvent[];
  readonly timeZone: string;
  readonly findings: readonly Finding[];
}): DecisionEntry[] {
  const events = journeyEvents(input.recorded, input.timeZone);
  return events
    .filter((event) => {
      // The registry's own bookkeeping (a journey opened, seen from the person) is not a decision of this journey.
      if (event.family === 'person') return false;
      const origin = FAMILIES[event.family].definition(event.type).origin;
      return origin === 'decision' || OUTSIDE_DECISIONS.has(event.type);
    })
    .map((event) => {
      const data = event.data as Record<string, unknown>;
      const origin = FAMILIES[event.family].definition(event.type).origin;
      const legalBasis =
        event.legalBasis ?? (typeof data.legalBasis === 'string' ? data.legalBasis : undefined);
      return {
        eventId: event.id,
        type: event.type,
        family: event.family,
        origin,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        actor: event.actor,
        decidingBody: decidingBodyOf(data),
        legalBasis,
        reasonCodes: reasonCodesOf(data),
        rationale: rationaleOf(data, event.dataEventId),
        knownState: knownStateAt(events, event),
        findings: input.findings
          .filter((finding) => finding.evidenceEventIds.includes(event.id))
          .map(({ ruleId, ruleVersion, severity, reason }) => ({
            ruleId,
            ruleVersion,
            severity,
            reason,
          })),
      };
    });
}
