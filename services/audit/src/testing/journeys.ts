import { DEFAULT_LIMITS, type JurisdictionProfile } from '../rules/jurisdiction-profile.js';
import { journeyBuilder, ORG, type JourneyBuilder } from './journey-builder.js';

/**
 * Compliant journeys for specs: every rule in the catalogue is met, so a spec adds exactly one
 * breach and expects exactly one finding. Times are UTC; the jurisdiction is NL (Europe/Amsterdam).
 */

export const NL_PROFILE: JurisdictionProfile = {
  jurisdiction: 'NL',
  version: 1,
  effectiveFrom: '2000-01-01',
  timeZone: 'Europe/Amsterdam',
  limits: DEFAULT_LIMITS,
  nrmOrgIds: [],
};

export const OTHER_ORG = '0197aaaa-0000-7000-8000-000000000002';
export const NRM_ORG = '0197aaaa-0000-7000-8000-0000000000aa';

const body = (
  type: 'Police' | 'ImmigrationAuthority' | 'Court' | 'LegalAidAuthority' | 'Prosecution',
) => ({
  type,
  name: `${type} unit`,
});
const deciding = { type: 'Police', name: 'Police unit' } as const;
const provider = { name: 'Clinic' };

export interface AdultJourney {
  readonly journey: JourneyBuilder;
  readonly ids: {
    readonly opened: string;
    readonly firstContact: string;
    readonly indicators: string;
    readonly servicesConsent: string;
    readonly sharingConsentId: string;
    readonly grounds: string;
    readonly referral: string;
    readonly admission: string;
    readonly reflection: string;
    readonly reflectionPeriodId: string;
    readonly interview: string;
    readonly conclusive: string;
  };
  /** A moment after which nothing more is due in this journey. */
  readonly now: string;
}

/** A Nigerian adult identified in the Netherlands in March 2025, assisted as the standards require. */
export type AdultStep =
  'admission' | 'care' | 'information' | 'reflection' | 'legalAid' | 'residence';

export function compliantAdultJourney(
  options: { child?: 'yes' | 'no' | 'unknown'; omit?: readonly AdultStep[] } = {},
): AdultJourney {
  const journey = journeyBuilder();
  const has = (step: AdultStep): boolean => !(options.omit ?? []).includes(step);
  const { journeyId, personId } = journey;
  const opened = journey.identification('2025-03-01T09:00:00Z', {
    type: 'JourneyOpened',
    data: { journeyId, personId, jurisdiction: 'NL', openedByOrgId: ORG },
  });
  journey.person('2025-03-01T09:00:00Z', {
    type: 'PersonRegistered',
    data: {
      personId,
      identity: { givenName: 'Test', familyName: 'Person' },
      blindIndexes: { name: 'x' },
      gender: 'Feminine',
      ageBand: '21-23',
      child: options.child ?? 'no',
      citizenship: ['NG'],
      languages: ['en'],
      registeredByOrgId: ORG,
    },
  });
  const firstContact = journey.identification('2025-03-01T09:05:00Z', {
    type: 'FirstContactRecorded',
    data: { channel: 'outreach' },
  });
  const indicators = journey.identification('2025-03-01T10:00:00Z', {
    type: 'IndicatorsObserved',
    data: {
      indicators: ['DebtBondage', 'WithholdsDocuments'],
      exploitationTypes: ['ForcedLabour'],
      observedByOrgId: ORG,
    },
  });
  const servicesConsentId = journey.id();
  const servicesConsent = journey.identification('2025-03-01T10:30:00Z', {
    type: 'ConsentRecorded',
    data: {
      consentId: servicesConsentId,
      scope: 'services',
      givenBy: 'self',
      informedOf: ['purpose', 'how_to_withdraw'],
      sharingWithOrgIds: [],
    },
  });
  const sharingConsentId = journey.id();
  journey.identification('2025-03-01T10:31:00Z', {
    type: 'ConsentRecorded',
    data: {
      consentId: sharingConsentId,
      scope: 'sharing',
      givenBy: 'self',
      informedOf: ['purpose', 'use_of_data'],
      sharingWithOrgIds: [],
    },
  });
  const topics = [
    'rights',
    'legal_proceedings',
    'reflection_period',
    'international_protection',
    'compensation',
  ] as const;
  for (const topic of has('information') ? topics : [])
    journey.identification('2025-03-01T11:00:00Z', {
      type: 'InformationProvided',
      data: { topic, language: 'en', interpreterUsed: false },
    });
  const grounds = journey.identification('2025-03-02T09:00:00Z', {
    type: 'ReasonableGroundsDecided',
    data: {
      outcome: 'positive',
      decidingBody: deciding,
      reasonCodes: ['indicators_present'],
      legalBasis: 'Aliens Act B8/3',
    },
  });
  const referral = journey.identification('2025-03-02T10:00:00Z', {
    type: 'ReferralMade',
    data: {
      referralId: journey.id(),
      toOrgId: OTHER_ORG,
      reason: 'AdditionalServicesRequired',
      services: ['Health'],
      consentId: sharingConsentId,
    },
  });
  const admission = !has('admission')
    ? ''
    : journey.shelter('2025-03-03T12:00:00Z', {
        type: 'ShelterAdmitted',
        data: {
          placementId: journey.id(),
          shelter: {
            shelterId: journey.id(),
            operatorOrgId: ORG,
            shelterType: 'specialised_trafficking',
            secure: false,
            childOnly: false,
            adultsOnly: false,
          },
          presumedChild: false,
          consentId: servicesConsentId,
          freedomOfMovementRestricted: false,
        },
      });
  journey.shelter('2025-03-04T12:00:00Z', {
    type: 'RiskAssessmentCompleted',
    data: {
      assessmentId: journey.id(),
      scope: 'safety',
      level: 'medium',
      risks: ['debt'],
      assessedByOrgId: ORG,
    },
  });
  const reflectionPeriodId = journey.id();
  const reflection = !has('reflection')
    ? ''
    : journey.legal({
        type: 'RecoveryReflectionPeriodGranted',
        data: {
          periodId: reflectionPeriodId,
          actingBody: body('ImmigrationAuthority'),
          occurredOn: '2025-03-04',
          start: '2025-03-04',
          end: '2025-04-15',
        },
      });
  const care = [
    ['2025-03-05', 'medical', 'Health'],
    ['2025-03-06', 'psychological', 'Health'],
    ['2025-03-07', 'counselling', 'SocialCare'],
  ] as const;
  for (const [day, careCode, supportPlanType] of has('care') ? care : [])
    journey.care(`${day}T10:00:00Z`, {
      type: 'CareDelivered',
      data: {
        deliveryId: journey.id(),
        careCode,
        supportPlanType,
        provider,
        language: 'en',
        interpreterUsed: false,
        deliveredAt: `${day}T10:00:00.000Z`,
        vitalInterest: false,
      },
    });
  if (has('legalAid'))
    journey.legal({
      type: 'LegalAidAssigned',
      data: {
        actingBody: body('LegalAidAuthority'),
        occurredOn: '2025-03-10',
        matters: ['criminal_proceedings'],
        freeOfCharge: true,
      },
    });
  const interview = journey.legal({
    type: 'InterviewConducted',
    data: {
      actingBody: body('Police'),
      occurredOn: '2025-03-12',
      purpose: 'criminal_investigation',
      professions: ['police_officer'],
      childAdaptedPremises: true,
      interpreterUsed: false,
      legalAssistancePresent: true,
    },
  });
  const conclusive = journey.identification('2025-04-20T09:00:00Z', {
    type: 'ConclusiveGroundsDecided',
    data: {
      status: 'ActualVictimOfTrafficking',
      decidingBody: deciding,
      reasonCodes: ['credible_account'],
      legalBasis: 'Aliens Act B8/3',
    },
  });
  if (has('residence'))
    journey.legal({
      type: 'ResidencePermitDecided',
      data: {
        actingBody: body('ImmigrationAuthority'),
        occurredOn: '2025-05-01',
        grounds: ['personal_situation'],
        outcome: 'granted',
      },
    });
  return {
    journey,
    ids: {
      opened,
      firstContact,
      indicators,
      servicesConsent,
      sharingConsentId,
      grounds,
      referral,
      admission,
      reflection,
      reflectionPeriodId,
      interview,
      conclusive,
    },
    now: '2025-12-31T12:00:00Z',
  };
}

export interface ChildReturnJourney extends AdultJourney {
  readonly childIds: {
    readonly uncertainty: string;
    readonly unaccompanied: string;
    readonly guardian: string;
    readonly familyAssessmentId: string;
    readonly familyAssessment: string;
    readonly bestInterests: string;
    readonly returnDecided: string;
    readonly returnExecuted: string;
    readonly reception: string;
    readonly reviews: readonly string[];
  };
}

/**
 * A presumed, unaccompanied child: the adult journey's steps plus a guardian, education, and a
 * return to an assessed family after a best-interests determination, with reception and reviews.
 */
export function compliantChildReturnJourney(
  options: { guardianAt?: string } = {},
): ChildReturnJourney {
  const adult = compliantAdultJourney({ child: 'unknown' });
  const { journey } = adult;
  const uncertainty = journey.identification('2025-03-01T09:10:00Z', {
    type: 'AgeUncertaintyRecorded',
    data: { reasonsToBelieveChild: ['appearance'] },
  });
  const unaccompanied = journey.identification('2025-03-01T09:11:00Z', {
    type: 'UnaccompaniedChildRecorded',
    data: { separated: false },
  });
  const guardian = journey.identification(options.guardianAt ?? '2025-03-01T15:00:00Z', {
    type: 'GuardianAppointed',
    data: {
      appointedBy: { type: 'CourtOrProsecution', name: 'District Court' },
      guardianName: 'Guardian',
    },
  });
  journey.care('2025-03-08T10:00:00Z', {
    type: 'CareDelivered',
    data: {
      deliveryId: journey.id(),
      careCode: 'education',
      supportPlanType: 'Education',
      provider,
      language: 'en',
      interpreterUsed: false,
      deliveredAt: '2025-03-08T10:00:00.000Z',
      vitalInterest: false,
    },
  });
  const decider = {
    type: 'NonPoliceGovernmentalOrganization',
    name: 'Child protection board',
  } as const;
  journey.reintegration('2025-05-10T10:00:00Z', {
    type: 'ChildViewsRecorded',
    data: {
      wishAboutReturn: 'wants_return',
      language: 'en',
      interpreterUsed: false,
      guardianPresent: true,
      views: 'x',
    },
  });
  const familyAssessmentId = journey.id();
  const familyAssessment = journey.reintegration('2025-05-12T10:00:00Z', {
    type: 'FamilyAssessmentCompleted',
    data: {
      familyAssessmentId,
      relationship: 'mother',
      familyImplicated: false,
      ableToCare: true,
      willingToCare: true,
      assessedBy: decider,
    },
  });
  const bestInterests = journey.reintegration('2025-05-15T10:00:00Z', {
    type: 'BestInterestsDetermined',
    data: { durableSolution: 'return', determinedBy: decider },
  });
  journey.reintegration('2025-05-16T10:00:00Z', {
    type: 'RiskAssessmentCompleted',
    data: { scope: 'return', level: 'low', assessedBy: decider, countryOfReturn: 'NG' },
  });
  const returnId = journey.id();
  const returnDecided = journey.reintegration('2025-05-20T10:00:00Z', {
    type: 'AssistedReturnDecided',
    data: {
      returnId,
      decidedByOrgId: ORG,
      voluntary: true,
      destination: { kind: 'family', familyAssessmentId },
      countryOfReturn: 'NG',
      presumedChild: true,
      basis: {},
      overridden: false,
    },
  });
  const reception = journey.reintegration('2025-05-25T10:00:00Z', {
    type: 'ReceptionArrangedAtDestination',
    data: {
      returnId,
      receivingOrg: { name: 'NGO Lagos', country: 'NG' },
      services: ['SocialCare'],
      contactsGiven: true,
    },
  });
  const returnExecuted = journey.reintegration('2025-06-01T10:00:00Z', {
    type: 'ReturnExecuted',
    data: { returnId, executedBy: decider, countryOfReturn: 'NG' },
  });
  const reviews = ['2025-09-01', '2025-12-01', '2026-06-01'].map((day) =>
    journey.reintegration(`${day}T10:00:00Z`, {
      type: 'ReintegrationReviewCompleted',
      data: {
        reviewId: journey.id(),
        method: 'partner_report',
        scores: { economic: 0.5, social: 0.6, psychosocial: 0.7 },
      },
    }),
  );
  return {
    ...adult,
    childIds: {
      uncertainty,
      unaccompanied,
      guardian,
      familyAssessmentId,
      familyAssessment,
      bestInterests,
      returnDecided,
      returnExecuted,
      reception,
      reviews,
    },
    now: '2026-07-01T12:00:00Z',
  };
}
