import type { LegalEventData } from '@waypoint/contracts';
import type { Actor } from '@waypoint/decider';
import { deciderSpec } from '@waypoint/decider/spec';
import type { OpenJourney } from '@waypoint/journey-facts';
import { describe, expect, it } from 'vitest';
import type { FactEvent, LegalCommand } from './commands.js';
import { legalDecider } from './legal-decider.js';
import type { LegalStreamEvent } from './state.js';

const spec = deciderSpec(legalDecider);
const ids = {
  journey: '01936d8e-0000-7000-8000-000000000001',
  person: '01936d8e-0000-7000-8000-000000000002',
  ngo: '01936d8e-0000-7000-8000-0000000000a1',
  period: '01936d8e-0000-7000-8000-0000000000b1',
  order: '01936d8e-0000-7000-8000-0000000000b2',
  detention: '01936d8e-0000-7000-8000-0000000000b3',
  protection: '01936d8e-0000-7000-8000-0000000000b4',
  charge: '01936d8e-0000-7000-8000-0000000000b5',
  claim: '01936d8e-0000-7000-8000-0000000000b6',
  consent: '01936d8e-0000-7000-8000-0000000000c1',
  unknown: '01936d8e-0000-7000-8000-0000000000ff',
};
const now = '2026-05-01T10:00:00.000Z';
const legalAdvisor: Actor = { userId: 'la-1', orgId: ids.ngo, roles: ['legal_advisor'] };
const supervisor: Actor = { userId: 'sv-1', orgId: ids.ngo, roles: ['supervisor'] };
const immigration = { type: 'ImmigrationAuthority', name: 'Immigration Service' };
const court = { type: 'Court', name: 'District court' };

const journey = (consents: OpenJourney['consents'] = []): OpenJourney => ({
  status: 'open',
  journeyId: ids.journey,
  personId: ids.person,
  jurisdiction: 'NL',
  openedByOrgId: ids.ngo,
  consents,
  referrals: [],
  reasonableGrounds: 'positive',
  conclusive: undefined,
  presumedChild: false,
  unaccompanied: false,
  guardianAppointed: false,
  history: undefined,
});
const servicesConsent = (
  overrides: Partial<OpenJourney['consents'][number]> = {},
): OpenJourney['consents'][number] => ({
  consentId: ids.consent,
  scope: 'services',
  sharingWithOrgIds: [],
  validUntil: undefined,
  withdrawn: false,
  ...overrides,
});

const record = (event: FactEvent, at = now): LegalCommand => ({
  type: 'RecordFact',
  event,
  now: at,
});

const granted: LegalStreamEvent = {
  type: 'RecoveryReflectionPeriodGranted',
  data: {
    periodId: ids.period,
    actingBody: immigration,
    occurredOn: '2026-04-01',
    start: '2026-04-01',
    end: '2026-04-15',
  },
  eventId: 'e-granted',
};
const ended = (reason: LegalEventData<'RecoveryReflectionPeriodEnded'>['reason']): FactEvent => ({
  type: 'RecoveryReflectionPeriodEnded',
  data: { periodId: ids.period, actingBody: immigration, occurredOn: '2026-04-10', reason },
});
const orderIssued: LegalStreamEvent = {
  type: 'RemovalOrderIssued',
  data: {
    orderId: ids.order,
    actingBody: immigration,
    occurredOn: '2026-04-02',
    kind: 'expulsion',
  },
  eventId: 'e-order',
};
const enforced = (orderId?: string): FactEvent => ({
  type: 'RemovalEnforced',
  data: {
    ...(orderId === undefined ? {} : { orderId }),
    actingBody: immigration,
    occurredOn: '2026-04-05',
    kind: 'expulsion',
  },
});
const detained: LegalStreamEvent = {
  type: 'DetentionStarted',
  data: {
    detentionId: ids.detention,
    actingBody: immigration,
    occurredOn: '2026-04-02',
    kind: 'immigration',
  },
  eventId: 'e-detained',
};
const released: FactEvent = {
  type: 'DetentionEnded',
  data: { detentionId: ids.detention, actingBody: immigration, occurredOn: '2026-04-03' },
};
const lodged: LegalStreamEvent = {
  type: 'InternationalProtectionClaimLodged',
  data: { claimId: ids.protection, actingBody: immigration, occurredOn: '2026-04-02' },
  eventId: 'e-lodged',
};
const protectionDecided = (claimId: string): FactEvent => ({
  type: 'InternationalProtectionClaimDecided',
  data: { claimId, actingBody: immigration, occurredOn: '2026-04-20', outcome: 'refugee_status' },
});
const charged: LegalStreamEvent = {
  type: 'CriminalChargeFiled',
  data: {
    chargeId: ids.charge,
    actingBody: { type: 'Police', name: 'Unit 3' },
    occurredOn: '2026-03-01',
    offence: 'false_documents',
    linkedToTrafficking: 'yes',
  },
  eventId: 'e-charged',
};
const prosecution = (chargeId: string): FactEvent => ({
  type: 'ProsecutionDecided',
  data: {
    chargeId,
    actingBody: { type: 'Prosecution', name: 'District prosecutor' },
    occurredOn: '2026-03-10',
    outcome: 'prosecute',
    nonPunishmentConsidered: false,
    reasonCodes: [],
  },
});
const penalty = (chargeId?: string): FactEvent => ({
  type: 'PenaltyImposed',
  data: {
    ...(chargeId === undefined
      ? { offence: 'begging', linkedToTrafficking: 'yes' as const }
      : { chargeId }),
    actingBody: court,
    occurredOn: '2026-03-20',
    penalty: 'fine',
  },
});
const claimed: LegalStreamEvent = {
  type: 'CompensationClaimed',
  data: {
    claimId: ids.claim,
    lodgedWith: court,
    occurredOn: '2026-04-01',
    forum: 'criminal_proceedings',
    against: 'offender',
    filedBy: 'lawyer',
  },
  eventId: 'e-claimed',
};
const compensationDecided = (claimId: string): FactEvent => ({
  type: 'CompensationDecided',
  data: { claimId, actingBody: court, occurredOn: '2026-04-20', outcome: 'awarded' },
});
const paid = (claimId: string): FactEvent => ({
  type: 'CompensationPaid',
  data: { claimId, actingBody: court, occurredOn: '2026-04-25', final: true },
});
const filingData = {
  claimId: ids.claim,
  lodgedWith: { type: 'CompensationAuthority', name: 'State fund' },
  forum: 'state_fund' as const,
  against: 'state' as const,
};
const file = (
  overrides: Partial<Extract<LegalCommand, { type: 'FileCompensationClaim' }>> = {},
): LegalCommand => ({
  type: 'FileCompensationClaim',
  data: filingData,
  actor: legalAdvisor,
  journey: journey([servicesConsent()]),
  now,
  ...overrides,
});

describe('legal decider', () => {
  describe('given nothing recorded yet', () => {
    it('records a reflection period shorter than 30 days as it was granted: the audit judges it', () => {
      spec
        .given([])
        .when(record(strip(granted)))
        .then([strip(granted)]);
    });
    it('records a removal enforced with no order on record', () => {
      spec
        .given([])
        .when(record(enforced(undefined)))
        .then([enforced(undefined)]);
    });
    it('records a penalty for an offence whose charge was never recorded', () => {
      spec.given([]).when(record(penalty())).then([penalty()]);
    });
    it('refuses a fact dated after it is recorded', () => {
      spec
        .given([])
        .when(
          record({
            ...enforced(undefined),
            data: { ...enforced(undefined).data, occurredOn: '2026-05-03' },
          } as FactEvent),
        )
        .thenFails('OCCURRED_IN_FUTURE', 'occurredOn');
    });
    it('allows a day of slack for bodies ahead of UTC', () => {
      const tomorrow = {
        ...enforced(undefined),
        data: { ...enforced(undefined).data, occurredOn: '2026-05-02' },
      } as FactEvent;
      spec.given([]).when(record(tomorrow)).then([tomorrow]);
    });
    it.each([
      [
        'RecoveryReflectionPeriodEnded',
        ended('expired'),
        'REFLECTION_PERIOD_NOT_FOUND',
        'periodId',
      ],
      ['RemovalEnforced', enforced(ids.unknown), 'REMOVAL_ORDER_NOT_FOUND', 'orderId'],
      ['DetentionEnded', released, 'DETENTION_NOT_FOUND', 'detentionId'],
      [
        'InternationalProtectionClaimDecided',
        protectionDecided(ids.unknown),
        'PROTECTION_CLAIM_NOT_FOUND',
        'claimId',
      ],
      ['ProsecutionDecided', prosecution(ids.unknown), 'CHARGE_NOT_FOUND', 'chargeId'],
      ['PenaltyImposed', penalty(ids.unknown), 'CHARGE_NOT_FOUND', 'chargeId'],
      [
        'CompensationDecided',
        compensationDecided(ids.unknown),
        'COMPENSATION_CLAIM_NOT_FOUND',
        'claimId',
      ],
      ['CompensationPaid', paid(ids.unknown), 'COMPENSATION_CLAIM_NOT_FOUND', 'claimId'],
    ] as const)('refuses %s about something not on record', (_type, event, code, field) => {
      spec.given([]).when(record(event)).thenFails(code, field);
    });
  });

  describe('given a reflection period granted', () => {
    it('records it ended early for a reason the Convention does not allow', () => {
      spec
        .given([granted])
        .when(record(ended('non_cooperation')))
        .then([ended('non_cooperation')]);
    });
    it('refuses to end it twice', () => {
      spec
        .given([granted, { ...ended('expired'), eventId: 'e-ended' }])
        .when(record(ended('public_order')))
        .thenFails('REFLECTION_PERIOD_ALREADY_ENDED', 'periodId');
    });
    it('once its grant is retracted, it no longer exists to end', () => {
      spec
        .given([
          granted,
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-granted', reasonCode: 'recorded-in-error' },
            eventId: 'e-retracted',
          },
        ])
        .when(record(ended('expired')))
        .thenFails('REFLECTION_PERIOD_NOT_FOUND', 'periodId');
    });
  });

  describe('given a removal order issued', () => {
    it('records it enforced, even during a reflection period', () => {
      spec
        .given([granted, orderIssued])
        .when(record(enforced(ids.order)))
        .then([enforced(ids.order)]);
    });
    it('refuses to enforce the same order twice', () => {
      spec
        .given([orderIssued, { ...enforced(ids.order), eventId: 'e-enforced' }])
        .when(record(enforced(ids.order)))
        .thenFails('REMOVAL_ORDER_ALREADY_ENFORCED', 'orderId');
    });
  });

  describe('given a detention started', () => {
    it('records its end once', () => {
      spec.given([detained]).when(record(released)).then([released]);
      spec
        .given([detained, { ...released, eventId: 'e-released' }])
        .when(record(released))
        .thenFails('DETENTION_ALREADY_ENDED', 'detentionId');
    });
  });

  describe('given a protection claim lodged', () => {
    it('records its decisions, an appeal included', () => {
      const decided = protectionDecided(ids.protection);
      spec.given([lodged]).when(record(decided)).then([decided]);
      spec
        .given([lodged, { ...decided, eventId: 'e-decided' }])
        .when(record(decided))
        .then([decided]);
    });
  });

  describe('given a charge against the person', () => {
    it('records the prosecution decision and a penalty for it', () => {
      spec
        .given([charged])
        .when(record(prosecution(ids.charge)))
        .then([prosecution(ids.charge)]);
      spec
        .given([charged])
        .when(record(penalty(ids.charge)))
        .then([penalty(ids.charge)]);
    });
  });

  describe('given a compensation claim on record', () => {
    it('records its decision and payment', () => {
      spec
        .given([claimed])
        .when(record(compensationDecided(ids.claim)))
        .then([compensationDecided(ids.claim)]);
      spec
        .given([claimed])
        .when(record(paid(ids.claim)))
        .then([paid(ids.claim)]);
    });
  });

  describe('filing a compensation claim through Waypoint', () => {
    it("relies on the person's valid services consent and names it", () => {
      spec
        .given([])
        .when(file())
        .then([
          { type: 'CompensationClaimFiled', data: { ...filingData, consentId: ids.consent } },
        ]);
    });
    it('is refused without a services consent', () => {
      spec
        .given([])
        .when(file({ journey: journey() }))
        .thenFails('CONSENT_REQUIRED', 'consent');
    });
    it('is refused when the consent covers another scope only', () => {
      spec
        .given([])
        .when(file({ journey: journey([servicesConsent({ scope: 'sharing' })]) }))
        .thenFails('CONSENT_REQUIRED', 'consent');
    });
    it('is refused when the consent was withdrawn', () => {
      spec
        .given([])
        .when(file({ journey: journey([servicesConsent({ withdrawn: true })]) }))
        .thenFails('CONSENT_WITHDRAWN', 'consent');
    });
    it('is refused when the consent expired', () => {
      spec
        .given([])
        .when(
          file({ journey: journey([servicesConsent({ validUntil: '2026-04-01T00:00:00.000Z' })]) }),
        )
        .thenFails('CONSENT_EXPIRED', 'consent');
    });
    it('a supervisor overrides with a reason recorded in their name', () => {
      spec
        .given([])
        .when(file({ journey: journey(), actor: supervisor, overrideReason: 'Deadline tomorrow' }))
        .then([
          {
            type: 'CompensationClaimFiled',
            data: {
              ...filingData,
              override: { supervisorUserId: 'sv-1', reason: 'Deadline tomorrow' },
            },
          },
        ]);
    });
    it('nobody else may override', () => {
      spec
        .given([])
        .when(file({ journey: journey(), overrideReason: 'Deadline tomorrow' }))
        .thenFails('OVERRIDE_REQUIRES_SUPERVISOR', 'overrideReason');
    });
  });

  describe('corrections', () => {
    const filed: LegalStreamEvent = {
      type: 'CompensationClaimFiled',
      data: { ...filingData, consentId: ids.consent },
      eventId: 'e-filed',
    };
    it('retracts an event on record', () => {
      spec
        .given([granted])
        .when({
          type: 'RetractEvent',
          data: { retractedEventId: 'e-granted', reasonCode: 'duplicate' },
        })
        .then([
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-granted', reasonCode: 'duplicate' },
          },
        ]);
    });
    it('refuses to retract an unknown event, or one already retracted', () => {
      spec
        .given([granted])
        .when({
          type: 'RetractEvent',
          data: { retractedEventId: 'e-other', reasonCode: 'duplicate' },
        })
        .thenFails('EVENT_NOT_FOUND', 'retractedEventId');
      spec
        .given([
          granted,
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-granted', reasonCode: 'duplicate' },
            eventId: 'e-retracted',
          },
        ])
        .when({
          type: 'RetractEvent',
          data: { retractedEventId: 'e-granted', reasonCode: 'duplicate' },
        })
        .thenFails('EVENT_ALREADY_RETRACTED');
    });
    it('refuses to correct a correction', () => {
      spec
        .given([
          granted,
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-granted', reasonCode: 'duplicate' },
            eventId: 'e-retracted',
          },
        ])
        .when({
          type: 'RetractEvent',
          data: { retractedEventId: 'e-retracted', reasonCode: 'duplicate' },
        })
        .thenFails('CORRECTION_NOT_CORRECTABLE');
    });
    it('amends a fact with valid replacement data', () => {
      const replacement = { ...strip(granted).data, end: '2026-05-01' };
      spec
        .given([granted])
        .when({
          type: 'AmendEvent',
          data: { amendedEventId: 'e-granted', reasonCode: 'data-entry-error', replacement },
        })
        .then([
          {
            type: 'EventAmended',
            data: { amendedEventId: 'e-granted', reasonCode: 'data-entry-error', replacement },
          },
        ]);
    });
    it('refuses a replacement that is not valid for the type, naming the field', () => {
      spec
        .given([granted])
        .when({
          type: 'AmendEvent',
          data: {
            amendedEventId: 'e-granted',
            reasonCode: 'data-entry-error',
            replacement: { ...strip(granted).data, end: '2026-03-01' },
          },
        })
        .thenFails('AMENDMENT_INVALID', 'replacement.end');
    });
    it('refuses a replacement that changes what the event is about', () => {
      spec
        .given([granted])
        .when({
          type: 'AmendEvent',
          data: {
            amendedEventId: 'e-granted',
            reasonCode: 'data-entry-error',
            replacement: { ...strip(granted).data, periodId: ids.unknown },
          },
        })
        .thenFails('AMENDMENT_CHANGES_IDENTITY', 'replacement.periodId');
    });
    it('a decision is retracted, never amended', () => {
      const error = spec
        .given([filed])
        .when({
          type: 'AmendEvent',
          data: { amendedEventId: 'e-filed', reasonCode: 'other', replacement: strip(filed).data },
        })
        .thenFails('DECISION_NOT_AMENDABLE');
      expect(error.kind).toBe('precondition');
    });
  });
});

function strip(event: LegalStreamEvent): FactEvent {
  const { eventId: _eventId, ...rest } = event;
  return rest as FactEvent;
}
