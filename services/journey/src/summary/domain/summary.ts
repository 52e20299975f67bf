import type { TimelineEntry } from './timeline-entry.js';

export const PHASES = ['identification', 'recovery', 'return', 'reintegration', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export interface OpenRisk {
  readonly kind:
    'shelter-safety' | 'return-risk' | 're-trafficking' | 'detention' | 'removal-order' | 'penalty';
  readonly level: string | null;
  readonly since: string;
  readonly eventId: string;
}

export interface ReferralFact {
  readonly referralId: string;
  readonly toOrgId: string;
  readonly consentId: string | null;
  /** The `validUntil` of the sharing consent it relied on: access ends then, as on withdrawal. */
  readonly consentValidUntil?: string | null;
  readonly status: 'pending' | 'accepted' | 'rejected' | 'completed';
}

export interface ActiveConsent {
  readonly consentId: string;
  readonly validUntil: string | null;
}

/**
 * What the journey service knows of a journey at a glance, in coarse codes and dates only (no
 * personal data: that stays in the timeline, sealed). Plain JSON, so that a read model can keep
 * it and fold new events into it.
 */
export interface JourneySummary {
  readonly journeyId: string;
  /** The registry's person, to join the child status the registry recorded. */
  readonly personId?: string | null;
  readonly jurisdiction: string | null;
  readonly openedByOrgId: string | null;
  readonly openedAt: string | null;
  /**
   * Organisations that see it: the one that opened it, and those that accepted a referral, until
   * the referral ends or the sharing consent it relied on is withdrawn.
   */
  readonly organisations: readonly string[];
  readonly referrals: readonly ReferralFact[];
  readonly withdrawnConsentIds: readonly string[];
  readonly phase: Phase;
  readonly closed: { readonly at: string; readonly reason: string } | null;
  readonly child: {
    /** What the journey's facts say when they say anything, else what the registry recorded. */
    readonly presumed: boolean;
    readonly since: string | null;
    readonly unaccompanied: boolean;
    readonly guardianAppointedAt: string | null;
    /** The journey's own facts: a reason to believe it, an assessment; null while none. */
    readonly inJourney?: boolean | null;
    /** The person was registered as a child (`PersonRegistered.child` 'yes'). */
    readonly inRegistry?: boolean;
  };
  readonly identification: {
    readonly firstContactAt: string | null;
    readonly reasonableGrounds: { readonly outcome: string; readonly at: string } | null;
    readonly conclusive: { readonly status: string; readonly at: string } | null;
  };
  readonly consents: Readonly<Record<string, ActiveConsent>>;
  readonly reflectionPeriod: {
    readonly periodId: string;
    readonly start: string;
    readonly end: string;
    readonly endedAt: string | null;
  } | null;
  readonly placement: { readonly placementId: string; readonly since: string } | null;
  readonly risks: readonly OpenRisk[];
  readonly nextReviewDue: string | null;
  readonly lastReviewAt: string | null;
  readonly events: number;
  readonly lastOccurredAt: string | null;
}

export function emptySummary(journeyId: string): JourneySummary {
  return {
    journeyId,
    jurisdiction: null,
    openedByOrgId: null,
    openedAt: null,
    organisations: [],
    referrals: [],
    withdrawnConsentIds: [],
    phase: 'identification',
    closed: null,
    child: {
      presumed: false,
      since: null,
      unaccompanied: false,
      guardianAppointedAt: null,
      inJourney: null,
      inRegistry: false,
    },
    identification: { firstContactAt: null, reasonableGrounds: null, conclusive: null },
    consents: {},
    reflectionPeriod: null,
    placement: null,
    risks: [],
    nextReviewDue: null,
    lastReviewAt: null,
    events: 0,
    lastOccurredAt: null,
  };
}

const text = (data: Readonly<Record<string, unknown>>, key: string): string | null => {
  const value = data[key];
  return typeof value === 'string' ? value : null;
};

const laterPhase = (current: Phase, reached: Phase): Phase =>
  PHASES.indexOf(reached) > PHASES.indexOf(current) ? reached : current;

const withoutRisk = (risks: readonly OpenRisk[], kind: OpenRisk['kind']): OpenRisk[] =>
  risks.filter((risk) => risk.kind !== kind);

/** The organisations that see the journey, from its opener, referrals and withdrawn consents. */
function withOrganisations(summary: JourneySummary): JourneySummary {
  const referred = summary.referrals
    .filter(
      (referral) =>
        referral.status === 'accepted' &&
        (referral.consentId === null || !summary.withdrawnConsentIds.includes(referral.consentId)),
    )
    .map((referral) => referral.toOrgId);
  const organisations = [
    ...new Set([...(summary.openedByOrgId ? [summary.openedByOrgId] : []), ...referred]),
  ];
  return { ...summary, organisations };
}

/**
 * The summary with the registry's child status joined in: presumed a child when the journey's
 * facts say so, or say nothing and the registry recorded a child (since the journey opened).
 */
export function withRegistryChild(summary: JourneySummary, inRegistry: boolean): JourneySummary {
  const presumed = summary.child.inJourney ?? inRegistry;
  return {
    ...summary,
    child: {
      ...summary.child,
      inRegistry,
      presumed,
      since: presumed ? (summary.child.since ?? summary.openedAt) : null,
    },
  };
}

const setReferral = (
  summary: JourneySummary,
  referralId: string | null,
  status: ReferralFact['status'],
): JourneySummary =>
  withOrganisations({
    ...summary,
    referrals: summary.referrals.map((referral) =>
      referral.referralId === referralId ? { ...referral, status } : referral,
    ),
  });

/**
 * Folds one event, already corrected (see `summarise`), into the summary. Pure: the same events
 * in the same order give the same summary.
 */
export function evolveSummary(summary: JourneySummary, entry: TimelineEntry): JourneySummary {
  const { data, occurredAt: at } = entry;
  const base: JourneySummary = {
    ...summary,
    events: summary.events + 1,
    lastOccurredAt:
      summary.lastOccurredAt === null || at > summary.lastOccurredAt ? at : summary.lastOccurredAt,
  };
  switch (entry.type) {
    case 'JourneyOpened': {
      return withOrganisations({
        ...base,
        personId: text(data, 'personId'),
        jurisdiction: text(data, 'jurisdiction'),
        openedByOrgId: text(data, 'openedByOrgId'),
        openedAt: at,
      });
    }
    case 'FirstContactRecorded':
      return { ...base, identification: { ...base.identification, firstContactAt: at } };
    case 'ReasonableGroundsDecided': {
      const outcome = text(data, 'outcome') ?? 'unknown';
      return {
        ...base,
        identification: { ...base.identification, reasonableGrounds: { outcome, at } },
        phase: outcome === 'positive' ? laterPhase(base.phase, 'recovery') : base.phase,
      };
    }
    case 'ConclusiveGroundsDecided':
      return {
        ...base,
        identification: {
          ...base.identification,
          conclusive: { status: text(data, 'status') ?? 'unknown', at },
        },
      };
    case 'AgeUncertaintyRecorded':
      return {
        ...base,
        child: { ...base.child, presumed: true, inJourney: true, since: base.child.since ?? at },
      };
    case 'AgeAssessed': {
      const child = text(data, 'outcome') === 'child';
      return {
        ...base,
        child: {
          ...base.child,
          presumed: child,
          inJourney: child,
          since: child ? (base.child.since ?? at) : null,
        },
      };
    }
    case 'UnaccompaniedChildRecorded':
      return {
        ...base,
        child: {
          ...base.child,
          presumed: true,
          inJourney: true,
          unaccompanied: true,
          since: base.child.since ?? at,
        },
      };
    case 'GuardianAppointed':
      return { ...base, child: { ...base.child, guardianAppointedAt: at } };
    case 'ConsentRecorded': {
      const scope = text(data, 'scope');
      const consentId = text(data, 'consentId');
      if (!scope || !consentId) return base;
      return {
        ...base,
        consents: {
          ...base.consents,
          [scope]: { consentId, validUntil: text(data, 'validUntil') },
        },
      };
    }
    case 'ConsentWithdrawn': {
      const scope = text(data, 'scope');
      const consentId = text(data, 'consentId');
      const consents = Object.fromEntries(
        Object.entries(base.consents).filter(
          ([held, consent]) => held !== scope || consent.consentId !== consentId,
        ),
      );
      return withOrganisations({
        ...base,
        consents,
        withdrawnConsentIds: consentId
          ? [...base.withdrawnConsentIds, consentId]
          : base.withdrawnConsentIds,
      });
    }
    case 'ReferralMade': {
      const referralId = text(data, 'referralId');
      const toOrgId = text(data, 'toOrgId');
      if (!referralId || !toOrgId) return base;
      const consentId = text(data, 'consentId');
      const consent = Object.values(base.consents).find((held) => held.consentId === consentId);
      return {
        ...base,
        referrals: [
          ...base.referrals,
          {
            referralId,
            toOrgId,
            consentId,
            consentValidUntil: consent?.validUntil ?? null,
            status: 'pending',
          },
        ],
      };
    }
    case 'ReferralAccepted':
      return setReferral(base, text(data, 'referralId'), 'accepted');
    case 'ReferralRejected':
      return setReferral(base, text(data, 'referralId'), 'rejected');
    case 'ReferralCompleted':
      return setReferral(base, text(data, 'referralId'), 'completed');
    case 'RecoveryReflectionPeriodGranted': {
      const periodId = text(data, 'periodId');
      const start = text(data, 'start');
      const end = text(data, 'end');
      if (!periodId || !start || !end) return base;
      return {
        ...base,
        reflectionPeriod: { periodId, start, end, endedAt: null },
        phase: laterPhase(base.phase, 'recovery'),
      };
    }
    case 'RecoveryReflectionPeriodEnded':
      return base.reflectionPeriod?.periodId === text(data, 'periodId')
        ? { ...base, reflectionPeriod: { ...base.reflectionPeriod, endedAt: at } }
        : base;
    case 'ShelterAdmitted':
    case 'ShelterTransferred': {
      const placementId = text(data, 'placementId');
      return placementId
        ? {
            ...base,
            placement: { placementId, since: at },
            phase: laterPhase(base.phase, 'recovery'),
          }
        : base;
    }
    case 'ShelterExited':
      return base.placement?.placementId === text(data, 'placementId')
        ? { ...base, placement: null }
        : base;
    case 'RiskAssessmentCompleted': {
      const kind = entry.service === 'shelter' ? 'shelter-safety' : 'return-risk';
      const level = text(data, 'level');
      const risks = withoutRisk(base.risks, kind);
      return {
        ...base,
        risks:
          level === null || level === 'low'
            ? risks
            : [...risks, { kind, level, since: at, eventId: entry.eventId }],
      };
    }
    case 'ReTraffickingReported':
      return {
        ...base,
        risks: [
          ...withoutRisk(base.risks, 're-trafficking'),
          { kind: 're-trafficking', level: null, since: at, eventId: entry.eventId },
        ],
      };
    case 'DetentionStarted':
      return {
        ...base,
        risks: [
          ...withoutRisk(base.risks, 'detention'),
          { kind: 'detention', level: text(data, 'kind'), since: at, eventId: entry.eventId },
        ],
      };
    case 'DetentionEnded':
      return { ...base, risks: withoutRisk(base.risks, 'detention') };
    case 'RemovalOrderIssued':
      return {
        ...base,
        risks: [
          ...withoutRisk(base.risks, 'removal-order'),
          { kind: 'removal-order', level: null, since: at, eventId: entry.eventId },
        ],
      };
    case 'PenaltyImposed':
      return {
        ...base,
        risks: [...base.risks, { kind: 'penalty', level: null, since: at, eventId: entry.eventId }],
      };
    case 'ReturnDecided':
    case 'AssistedReturnDecided':
      return { ...base, phase: laterPhase(base.phase, 'return') };
    case 'ReturnExecuted':
    case 'RemovalEnforced':
      return {
        ...base,
        phase: laterPhase(base.phase, 'return'),
        risks: withoutRisk(base.risks, 'removal-order'),
      };
    case 'ReintegrationPlanCreated':
      return {
        ...base,
        phase: laterPhase(base.phase, 'reintegration'),
        nextReviewDue: text(data, 'firstReviewDue') ?? base.nextReviewDue,
      };
    case 'ReintegrationReviewCompleted':
      return { ...base, lastReviewAt: at, nextReviewDue: text(data, 'nextReviewDue') };
    case 'JourneyClosed':
      return {
        ...base,
        phase: 'closed',
        closed: { at, reason: text(data, 'reason') ?? 'other' },
      };
    default:
      return base;
  }
}
