import { dayDeadline } from '@waypoint/contracts';
import { missedDeadline } from './identification-rules.js';
import { childAt, linkedToTrafficking, positiveReasonableGrounds } from './journey-context.js';
import { factsOf, type Fact } from './journey-events.js';
import { breach, flag, type Rule, type RuleFinding } from './rule.js';

/** Rules on legal information and aid, interviews, compensation and non-punishment. */

const SINCE_CONVENTION = '2008-02-01';
const CRIMINAL_JUSTICE = new Set(['criminal_investigation', 'court_hearing']);

export const legalInformationFromFirstContact: Rule = {
  id: 'LG-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Information on legal proceedings from the first contact',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 15(1)' },
    { instrument: 'Palermo Protocol', article: 'Art. 6(2)' },
  ],
  severities: ['flag'],
  limit: 'the first interview by an authority',
  limitKeys: [],
  checks: 'Information on legal proceedings is given before the first interview by an authority.',
  evidence: 'The first InterviewConducted, and the late InformationProvided{legal_proceedings}',
  evaluate({ events }) {
    const interview = factsOf(events, 'legal', 'InterviewConducted')[0];
    if (!interview) return [];
    const information = factsOf(events, 'identification', 'InformationProvided').find(
      (given) => given.data.topic === 'legal_proceedings',
    );
    if (information && information.occurredAt <= interview.occurredAt) return [];
    return [
      flag(
        interview.occurredAt,
        [interview.id, information?.id],
        information ? 'legal_information_after_first_interview' : 'legal_information_missing',
      ),
    ];
  },
};

export const legalAidBeforeInterview: Rule = {
  id: 'LG-02',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Legal counselling and aid without delay',
  sources: [
    { instrument: 'Directive 2011/36/EU', article: 'Art. 12(2)' },
    { instrument: 'CoE CETS 197', article: 'Art. 15(2)' },
  ],
  severities: ['breach'],
  limit: 'the first criminal-justice interview',
  limitKeys: [],
  checks:
    'Legal aid is assigned (or waived by a person informed of the right) before the first criminal investigation interview or hearing.',
  evidence: 'The first criminal-justice InterviewConducted',
  evaluate({ events }) {
    const interview = factsOf(events, 'legal', 'InterviewConducted').find((candidate) =>
      CRIMINAL_JUSTICE.has(candidate.data.purpose),
    );
    if (!interview) return [];
    const before = (event: { occurredAt: string }): boolean =>
      event.occurredAt <= interview.occurredAt;
    const aided =
      factsOf(events, 'legal', 'LegalAidAssigned').some(before) ||
      factsOf(events, 'legal', 'LegalAidWaived').some(
        (waiver) => before(waiver) && waiver.data.informedOfRight,
      );
    return aided
      ? []
      : [breach(interview.occurredAt, [interview.id], 'interviewed_without_legal_aid')];
  },
};

export const secondaryVictimisation: Rule = {
  id: 'LG-03',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Avoiding secondary victimisation in interviews',
  sources: [{ instrument: 'Directive 2011/36/EU', article: 'Art. 12(4), 15(3)' }],
  severities: ['flag'],
  limit: 'maxInterviews; maxChildInterviewProfessions',
  limitKeys: ['maxInterviews', 'maxChildInterviewProfessions'],
  checks:
    'No more interviews than the limit; a child is interviewed in adapted premises and by no more different professions than the limit.',
  evidence: 'The InterviewConducted events concerned',
  evaluate({ events, profile }) {
    const interviews = factsOf(events, 'legal', 'InterviewConducted');
    const findings: RuleFinding[] = [];
    const excess = interviews[profile.limits.maxInterviews];
    if (excess)
      findings.push(
        flag(
          excess.occurredAt,
          interviews.slice(0, profile.limits.maxInterviews + 1).map((interview) => interview.id),
          'too_many_interviews',
        ),
      );
    const professions = new Set<string>();
    let professionsFlagged = false;
    for (const interview of interviews) {
      if (!childAt(events, interview.occurredAt)) continue;
      if (!interview.data.childAdaptedPremises)
        findings.push(
          flag(interview.occurredAt, [interview.id], 'child_interviewed_outside_adapted_premises'),
        );
      for (const profession of interview.data.professions)
        if (profession !== 'interpreter') professions.add(profession);
      if (!professionsFlagged && professions.size > profile.limits.maxChildInterviewProfessions) {
        professionsFlagged = true;
        findings.push(
          flag(interview.occurredAt, [interview.id], 'child_interviewed_by_too_many_professions'),
        );
      }
    }
    return findings;
  },
};

export const compensationPathway: Rule = {
  id: 'LG-04',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Information on compensation',
  sources: [
    { instrument: 'Palermo Protocol', article: 'Art. 6(6)' },
    { instrument: 'CoE CETS 197', article: 'Art. 15(3)-(4)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 17' },
  ],
  severities: ['flag'],
  limit: 'compensationInformationDays (days from a positive reasonable-grounds decision)',
  limitKeys: ['compensationInformationDays'],
  checks: 'Information on compensation is given within the limit.',
  evidence: 'ReasonableGroundsDecided{positive}, and the late InformationProvided{compensation}',
  evaluate({ events, profile, now }) {
    const grounds = positiveReasonableGrounds(events);
    if (!grounds) return [];
    const information = factsOf(events, 'identification', 'InformationProvided').find(
      (given) => given.data.topic === 'compensation',
    );
    const deadline = dayDeadline(
      grounds.occurredAt,
      profile.limits.compensationInformationDays,
      profile.timeZone,
    );
    const missed = missedDeadline(deadline, information, now);
    return missed
      ? [flag(deadline, [grounds.id, information?.id], `compensation_information_${missed}`)]
      : [];
  },
};

/**
 * A prosecution decision that cites a trafficking assessment and gives reasons (ECtHR V.C.L.). The
 * assessment must name something: a case reference, or a reasonable- or conclusive-grounds
 * decision of this journey. An empty `traffickingAssessment: {}` cites nothing.
 */
function assessed(
  decision: Fact<'legal', 'ProsecutionDecided'>,
  groundsDecisionIds: ReadonlySet<string>,
): boolean {
  const assessment = decision.data.traffickingAssessment;
  if (assessment === undefined) return false;
  const cited =
    assessment.reference !== undefined ||
    (assessment.identificationEventId !== undefined &&
      groundsDecisionIds.has(assessment.identificationEventId));
  return cited && (decision.data.reasonCodes.length > 0 || decision.data.reasons !== undefined);
}

export const nonPunishment: Rule = {
  id: 'NP-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'No penalty for offences the person was compelled to commit',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 26' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 8' },
    { instrument: 'OHCHR Principles and Guidelines', article: 'Principle 7' },
    { instrument: 'ECtHR', article: 'V.C.L. and A.N. v. UK (2021)' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    'After a positive reasonable-grounds decision, a charge linked to the trafficking (or a status offence of unknown link) is neither prosecuted nor punished unless a prosecution decision cites a trafficking assessment (a case reference, or a grounds decision of the journey) and gives reasons.',
  evidence:
    'ReasonableGroundsDecided{positive}, CriminalChargeFiled, and the ProsecutionDecided or PenaltyImposed',
  evaluate({ events }) {
    const grounds = positiveReasonableGrounds(events);
    if (!grounds) return [];
    const charges = new Map(
      factsOf(events, 'legal', 'CriminalChargeFiled').map((charge) => [
        charge.data.chargeId,
        charge,
      ]),
    );
    const decisions = factsOf(events, 'legal', 'ProsecutionDecided');
    const groundsDecisionIds = new Set(
      [
        ...factsOf(events, 'identification', 'ReasonableGroundsDecided'),
        ...factsOf(events, 'identification', 'ConclusiveGroundsDecided'),
      ].map((decision) => decision.id),
    );
    const findings: RuleFinding[] = [];
    for (const decision of decisions) {
      const charge = charges.get(decision.data.chargeId);
      if (!charge || decision.occurredAt < grounds.occurredAt) continue;
      if (!linkedToTrafficking(charge.data.offence, charge.data.linkedToTrafficking)) continue;
      if (decision.data.outcome === 'prosecute' && !assessed(decision, groundsDecisionIds))
        findings.push(
          breach(
            decision.occurredAt,
            [grounds.id, charge.id, decision.id],
            'prosecuted_without_trafficking_assessment',
          ),
        );
    }
    for (const penalty of factsOf(events, 'legal', 'PenaltyImposed')) {
      if (penalty.occurredAt < grounds.occurredAt) continue;
      const charge =
        penalty.data.chargeId === undefined ? undefined : charges.get(penalty.data.chargeId);
      const offence = penalty.data.offence ?? charge?.data.offence;
      const linked = penalty.data.linkedToTrafficking ?? charge?.data.linkedToTrafficking;
      if (!linkedToTrafficking(offence, linked)) continue;
      const justified = decisions.some(
        (decision) =>
          decision.data.chargeId === penalty.data.chargeId &&
          decision.occurredAt <= penalty.occurredAt &&
          assessed(decision, groundsDecisionIds),
      );
      if (!justified)
        findings.push(
          breach(
            penalty.occurredAt,
            [grounds.id, charge?.id, penalty.id],
            'penalised_for_compelled_offence',
          ),
        );
    }
    return findings;
  },
};

export const criminalisedBeforeIdentification: Rule = {
  id: 'NP-02',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Victims criminalised before identification',
  sources: [{ instrument: 'OSCE (2013)', article: 'Non-punishment recommendations' }],
  severities: ['flag'],
  limit: 'none',
  limitKeys: [],
  checks:
    'A penalty imposed before the positive reasonable-grounds decision is flagged for review, expungement or appeal.',
  evidence: 'PenaltyImposed and ReasonableGroundsDecided{positive}',
  evaluate({ events }) {
    const grounds = positiveReasonableGrounds(events);
    if (!grounds) return [];
    return factsOf(events, 'legal', 'PenaltyImposed')
      .filter((penalty) => penalty.occurredAt < grounds.occurredAt)
      .map((penalty) =>
        flag(grounds.occurredAt, [penalty.id, grounds.id], 'penalised_before_identification'),
      );
  },
};

export const LEGAL_RULES: readonly Rule[] = [
  legalInformationFromFirstContact,
  legalAidBeforeInterview,
  secondaryVictimisation,
  compensationPathway,
  nonPunishment,
  criminalisedBeforeIdentification,
];
