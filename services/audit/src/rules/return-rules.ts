import { addDays, addMonths, dayDeadline, startOfLocalDay } from '@waypoint/contracts';
import { missedDeadline } from './identification-rules.js';
import { childAt, positiveReasonableGrounds } from './journey-context.js';
import { factsOf, isFact, type AuditEvent, type Fact } from './journey-events.js';
import { breach, flag, type Rule, type RuleFinding } from './rule.js';

/** Rules on return, reintegration, referrals and the National Referral Mechanism. */

const SINCE_CONVENTION = '2008-02-01';
/** Directive 2024/1712: member states transpose the formal NRM obligation by this date. */
const NRM_TRANSPOSITION = '2026-07-15';

/**
 * A return as the audit judges it: one carried out through the reintegration service
 * (`ReturnExecuted`), or a forced removal the legal service recorded (`RemovalEnforced` of kind
 * return or expulsion): the person is sent back either way, and the same safeguards apply. A
 * Dublin transfer hands an asylum claim to another member state: not a return.
 */
type Return = Fact<'reintegration', 'ReturnExecuted'> | Fact<'legal', 'RemovalEnforced'>;

const REMOVALS_THAT_RETURN: ReadonlySet<string> = new Set(['return', 'expulsion']);

const returnsOf = (events: readonly AuditEvent[]): Return[] =>
  events.filter(
    (event): event is Return =>
      isFact(event, 'reintegration', 'ReturnExecuted') ||
      (isFact(event, 'legal', 'RemovalEnforced') && REMOVALS_THAT_RETURN.has(event.data.kind)),
  );

/** What the catalogue calls a return. */
const RETURN_EVENTS = 'ReturnExecuted or RemovalEnforced{return, expulsion}';

/** The risk scopes an assisted-return decision weighs; only a `return` assessment dates one. */
const RISK_SCOPES = ['return', 're_trafficking', 'reprisal'] as const;

const before = (events: readonly AuditEvent[], at: AuditEvent): AuditEvent[] =>
  events.filter((event) => event.occurredAt <= at.occurredAt && event.id !== at.id);

export const returnRiskAssessment: Rule = {
  id: 'RT-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A return needs a recent risk and security assessment',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 16(2)' },
    { instrument: 'Palermo Protocol', article: 'Art. 8(2)' },
    { instrument: 'OHCHR Principles and Guidelines', article: 'Principle 11' },
    { instrument: 'ODIHR Guiding Principles (2014)', article: 'Principle 1' },
  ],
  severities: ['breach'],
  limit: 'returnRiskAssessmentMaxAgeDays (age of the latest return risk assessment at the return)',
  limitKeys: ['returnRiskAssessmentMaxAgeDays'],
  checks:
    'Before a return (executed, or a forced removal by return or expulsion): a risk assessment of scope return, not older than the limit (an assessment of another scope does not count); and the latest assessment of each scope (return, re-trafficking, reprisal) did not rate the risk high.',
  evidence: `${RETURN_EVENTS}, and the latest RiskAssessmentCompleted{return} (or the one rating a risk high) before it`,
  evaluate({ events, profile }) {
    return returnsOf(events).flatMap((executed): RuleFinding[] => {
      const assessments = factsOf(
        before(events, executed),
        'reintegration',
        'RiskAssessmentCompleted',
      );
      const latestOf = (scope: (typeof RISK_SCOPES)[number]) =>
        assessments.filter((assessment) => assessment.data.scope === scope).at(-1);
      const latest = latestOf('return');
      if (!latest)
        return [breach(executed.occurredAt, [executed.id], 'return_without_risk_assessment')];
      const expiry = dayDeadline(
        latest.occurredAt,
        profile.limits.returnRiskAssessmentMaxAgeDays,
        profile.timeZone,
      );
      if (executed.occurredAt >= expiry)
        return [breach(executed.occurredAt, [latest.id, executed.id], 'risk_assessment_outdated')];
      const high = RISK_SCOPES.map(latestOf).find(
        (assessment) => assessment?.data.level === 'high',
      );
      if (high)
        return [breach(executed.occurredAt, [high.id, executed.id], 'return_despite_high_risk')];
      return [];
    });
  },
};

export const voluntaryReturn: Rule = {
  id: 'RT-02',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Return preferably voluntary',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 16(2)' },
    { instrument: 'Palermo Protocol', article: 'Art. 8(2)' },
    { instrument: 'OHCHR Principles and Guidelines', article: 'Principle 11' },
  ],
  severities: ['flag'],
  limit: 'none',
  limitKeys: [],
  checks:
    'A return decided as not voluntary is flagged for review (were alternatives such as residence considered?).',
  evidence: 'ReturnDecided or AssistedReturnDecided',
  evaluate({ events }) {
    return events
      .filter(
        (event) =>
          (isFact(event, 'reintegration', 'ReturnDecided') ||
            isFact(event, 'reintegration', 'AssistedReturnDecided')) &&
          !event.data.voluntary,
      )
      .map((event) => flag(event.occurredAt, [event.id], 'involuntary_return'));
  },
};

const CHARGE_CLOSED = new Set([
  'not_prosecuted',
  'discontinued',
  'acquitted',
  'convicted_without_penalty',
]);
const COMPENSATION_CLOSED = new Set(['refused', 'withdrawn']);

export const returnRespectsProceedings: Rule = {
  id: 'RT-03',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A return respects pending proceedings',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 16(2)' },
    { instrument: 'Palermo Protocol', article: 'Art. 8(2)' },
    { instrument: 'ODIHR Guiding Principles (2014)', article: 'Principles 2 and 6' },
  ],
  severities: ['flag'],
  limit: 'none',
  limitKeys: [],
  checks:
    'No return (executed, or a forced removal by return or expulsion) while a criminal charge or a compensation claim is still pending.',
  evidence: `${RETURN_EVENTS}, and the pending charge or claim`,
  evaluate({ events }) {
    return returnsOf(events).flatMap((executed) => {
      const earlier = before(events, executed);
      const pending: string[] = [];
      for (const charge of factsOf(earlier, 'legal', 'CriminalChargeFiled')) {
        const last = factsOf(earlier, 'legal', 'ProsecutionDecided')
          .filter((decision) => decision.data.chargeId === charge.data.chargeId)
          .at(-1);
        const penalised = factsOf(earlier, 'legal', 'PenaltyImposed').some(
          (penalty) => penalty.data.chargeId === charge.data.chargeId,
        );
        if (!penalised && (!last || !CHARGE_CLOSED.has(last.data.outcome))) pending.push(charge.id);
      }
      const claims = [
        ...factsOf(earlier, 'legal', 'CompensationClaimed'),
        ...factsOf(earlier, 'legal', 'CompensationClaimFiled'),
      ];
      for (const claim of claims) {
        const decided = factsOf(earlier, 'legal', 'CompensationDecided')
          .filter((decision) => decision.data.claimId === claim.data.claimId)
          .at(-1);
        const paid = factsOf(earlier, 'legal', 'CompensationPaid').some(
          (payment) => payment.data.claimId === claim.data.claimId && payment.data.final,
        );
        if (!paid && (!decided || !COMPENSATION_CLOSED.has(decided.data.outcome)))
          pending.push(claim.id);
      }
      return pending.length > 0
        ? [
            flag(
              executed.occurredAt,
              [...pending, executed.id],
              'returned_with_proceedings_pending',
            ),
          ]
        : [];
    });
  },
};

export const childReturnSafeguards: Rule = {
  id: 'RT-04',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A child is returned only after a best-interests determination and a family assessment',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 16(7)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 16(2)' },
    { instrument: 'UNICEF Guidelines (2006)', article: 'durable solutions' },
    { instrument: 'OHCHR Principles and Guidelines', article: 'Guideline 8' },
    { instrument: 'ODIHR Guiding Principles (2014)', article: 'Principle 4' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    "Before a child's return (executed, or a forced removal by return or expulsion): a best-interests determination choosing return, a family assessment and the child's views; never to a family implicated in the trafficking.",
  evidence: `${RETURN_EVENTS}, and the return decision and family assessment where they exist`,
  evaluate({ events }) {
    const findings: RuleFinding[] = [];
    for (const executed of returnsOf(events)) {
      if (!childAt(events, executed.occurredAt)) continue;
      const earlier = before(events, executed);
      const determination = factsOf(earlier, 'reintegration', 'BestInterestsDetermined').at(-1);
      const assessments = factsOf(earlier, 'reintegration', 'FamilyAssessmentCompleted');
      const views = factsOf(earlier, 'reintegration', 'ChildViewsRecorded').at(-1);
      if (!determination)
        findings.push(
          breach(executed.occurredAt, [executed.id], 'best_interests_determination_missing'),
        );
      else if (determination.data.durableSolution !== 'return')
        findings.push(
          breach(executed.occurredAt, [determination.id, executed.id], 'best_interests_not_return'),
        );
      if (assessments.length === 0)
        findings.push(breach(executed.occurredAt, [executed.id], 'family_assessment_missing'));
      if (!views) findings.push(breach(executed.occurredAt, [executed.id], 'child_views_missing'));
      const decision = returnDecisionFor(earlier, executed);
      if (decision?.data.destination.kind === 'family') {
        const { familyAssessmentId } = decision.data.destination;
        const implicated = assessments.find(
          (assessment) =>
            assessment.data.familyImplicated &&
            (familyAssessmentId === undefined ||
              assessment.data.familyAssessmentId === familyAssessmentId),
        );
        if (implicated)
          findings.push(
            breach(
              executed.occurredAt,
              [implicated.id, decision.id, executed.id],
              'returned_to_implicated_family',
            ),
          );
      }
    }
    return findings;
  },
};

function returnDecisionFor(
  earlier: readonly AuditEvent[],
  executed: Return,
): Fact<'reintegration', 'ReturnDecided' | 'AssistedReturnDecided'> | undefined {
  const decisions = earlier.filter(
    (event): event is Fact<'reintegration', 'ReturnDecided' | 'AssistedReturnDecided'> =>
      isFact(event, 'reintegration', 'ReturnDecided') ||
      isFact(event, 'reintegration', 'AssistedReturnDecided'),
  );
  // A removal names the authority's order, not a return decision: it is matched to the latest.
  const returnId = isFact(executed, 'reintegration', 'ReturnExecuted')
    ? executed.data.returnId
    : undefined;
  return (
    (returnId === undefined
      ? undefined
      : decisions.findLast((decision) => decision.data.returnId === returnId)) ?? decisions.at(-1)
  );
}

export const receptionArranged: Rule = {
  id: 'RT-05',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Reception and contacts at the destination',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 16(5)-(6)' },
    { instrument: 'ODIHR Guiding Principles (2014)', article: 'Principles 5 and 7' },
  ],
  severities: ['flag'],
  limit: 'the return',
  limitKeys: [],
  checks:
    "By the return (executed, or a forced removal by return or expulsion): reception arranged at the destination, and the receiving organisation's contacts given to the person.",
  evidence: `${RETURN_EVENTS}, and the reception arranged`,
  evaluate({ events }) {
    return returnsOf(events).flatMap((executed): RuleFinding[] => {
      const earlier = before(events, executed);
      const reception = factsOf(earlier, 'reintegration', 'ReceptionArrangedAtDestination').at(-1);
      if (!reception) return [flag(executed.occurredAt, [executed.id], 'reception_not_arranged')];
      const informed =
        reception.data.contactsGiven ||
        factsOf(earlier, 'identification', 'InformationProvided').some(
          (information) => information.data.topic === 'return_and_destination_contacts',
        );
      return informed
        ? []
        : [
            flag(
              executed.occurredAt,
              [reception.id, executed.id],
              'destination_contacts_not_given',
            ),
          ];
    });
  },
};

export const postReturnMonitoring: Rule = {
  id: 'RT-06',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Post-return monitoring',
  sources: [{ instrument: 'ODIHR Guiding Principles (2014)', article: 'Principle 7' }],
  severities: ['flag'],
  limit: 'postReturnReviewMonths, each with postReturnReviewToleranceDays either side',
  limitKeys: ['postReturnReviewMonths', 'postReturnReviewToleranceDays'],
  checks:
    'A reintegration review near each configured month after the latest return (executed, or a forced removal by return or expulsion).',
  evidence: RETURN_EVENTS,
  evaluate({ events, profile, now }) {
    const executed = returnsOf(events).at(-1);
    if (!executed) return [];
    const reviews = factsOf(events, 'reintegration', 'ReintegrationReviewCompleted');
    const tolerance = profile.limits.postReturnReviewToleranceDays;
    return profile.limits.postReturnReviewMonths.flatMap((months): RuleFinding[] => {
      const due = addMonths(executed.day, months);
      const opens = addDays(due, -tolerance);
      const closes = startOfLocalDay(addDays(due, tolerance + 1), profile.timeZone);
      if (now < closes) return [];
      const reviewed = reviews.some((review) => review.day >= opens && review.occurredAt < closes);
      return reviewed
        ? []
        : [flag(closes, [executed.id], `post_return_review_missing_${String(months)}m`)];
    });
  },
};

export const referralNeedsConsent: Rule = {
  id: 'RF-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Sharing with another organisation requires consent',
  sources: [
    { instrument: 'IOM Data Protection Principles (2009)', article: 'Principle 5' },
    { instrument: 'HTCDS 2.0', article: 'con_Consent' },
  ],
  severities: ['breach', 'flag'],
  limit: 'none',
  limitKeys: [],
  checks:
    'A referral relies on a sharing consent valid when it is made (breach without one or an override); every supervisor override is flagged.',
  evidence: 'ReferralMade (and the consent withdrawal that invalidated it)',
  evaluate({ events }) {
    const findings: RuleFinding[] = [];
    for (const referral of factsOf(events, 'identification', 'ReferralMade')) {
      const { consentId, override } = referral.data;
      if (override) {
        findings.push(flag(referral.occurredAt, [referral.id], 'referral_on_override'));
        continue;
      }
      if (consentId === undefined) {
        findings.push(breach(referral.occurredAt, [referral.id], 'referral_without_consent'));
        continue;
      }
      const earlier = before(events, referral);
      const consent = factsOf(earlier, 'identification', 'ConsentRecorded').find(
        (recorded) => recorded.data.consentId === consentId && recorded.data.scope === 'sharing',
      );
      const withdrawal = factsOf(earlier, 'identification', 'ConsentWithdrawn').find(
        (withdrawn) => withdrawn.data.consentId === consentId,
      );
      const expired =
        consent?.data.validUntil !== undefined && consent.data.validUntil <= referral.occurredAt;
      if (!consent || withdrawal || expired)
        findings.push(
          breach(referral.occurredAt, [referral.id, withdrawal?.id], 'referral_consent_not_valid'),
        );
    }
    return findings;
  },
};

export const nrmReferral: Rule = {
  id: 'NRM-01',
  version: 1,
  effectiveFrom: NRM_TRANSPOSITION,
  title: 'Referral into the National Referral Mechanism',
  sources: [
    { instrument: 'Directive 2011/36/EU as amended by 2024/1712', article: 'Art. 11(4)' },
    { instrument: 'OSCE/ODIHR NRM Handbook (2022)', article: 'Pillar 1' },
  ],
  severities: ['flag'],
  limit: "nrmReferralDays (days from indicators or reasonable grounds); the profile's nrmOrgIds",
  limitKeys: ['nrmReferralDays'],
  checks:
    'A referral to an NRM organisation of the jurisdiction within the limit, for a journey whose indicators (or positive reasonable grounds) occurred on or after the transposition date: the obligation does not reach back to journeys identified before the law applied.',
  evidence: 'IndicatorsObserved or ReasonableGroundsDecided, and the late referral',
  evaluate({ events, profile, now }) {
    if (profile.nrmOrgIds.length === 0) return [];
    const start =
      factsOf(events, 'identification', 'IndicatorsObserved')[0] ??
      positiveReasonableGrounds(events);
    // The audit date puts the rule in force; the day the obligation arose decides whether it applies.
    if (!start || start.day < NRM_TRANSPOSITION) return [];
    const referral = factsOf(events, 'identification', 'ReferralMade').find((made) =>
      profile.nrmOrgIds.includes(made.data.toOrgId),
    );
    const deadline = dayDeadline(
      start.occurredAt,
      profile.limits.nrmReferralDays,
      profile.timeZone,
    );
    const missed = missedDeadline(deadline, referral, now);
    return missed ? [flag(deadline, [start.id, referral?.id], `nrm_referral_${missed}`)] : [];
  },
};

export const RETURN_RULES: readonly Rule[] = [
  returnRiskAssessment,
  voluntaryReturn,
  returnRespectsProceedings,
  childReturnSafeguards,
  receptionArranged,
  postReturnMonitoring,
  referralNeedsConsent,
  nrmReferral,
];
