import {
  effectiveEntries,
  identificationFamily,
  isEncryptedField,
  type EventData,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { sealedFrom, type Sealed } from '@waypoint/privacy';

type Personal = Sealed | undefined;

export type { Sealed };

export interface IdentificationView {
  journeyId: string;
  personId: string;
  jurisdiction: string;
  openedByOrgId: string;
  openedAt: string;
  revision: number;
  firstContact: { channel: string; occurredAt: string; location: Personal } | undefined;
  indicators: {
    indicators: string[];
    exploitationTypes: string[];
    observedByOrgId: string;
    occurredAt: string;
    notes: Personal;
  }[];
  reasonableGrounds: Decision<'ReasonableGroundsDecided'> | undefined;
  conclusiveGrounds: Decision<'ConclusiveGroundsDecided'> | undefined;
  child: {
    presumedChild: boolean;
    ageAssessment:
      | { outcome: string; method: string; ageBand: string | undefined; occurredAt: string }
      | undefined;
    unaccompanied: boolean;
    guardian:
      | {
          appointedBy: EventData<'GuardianAppointed'>['appointedBy'];
          guardianOrgId: string | undefined;
          guardianName: Personal;
          occurredAt: string;
        }
      | undefined;
  };
  consents: {
    consentId: string;
    scope: string;
    givenBy: string;
    informedOf: string[];
    sharingWithOrgIds: string[];
    validUntil: string | undefined;
    recordedAt: string;
    withdrawnAt: string | undefined;
  }[];
  information: { topic: string; language: string; interpreterUsed: boolean; occurredAt: string }[];
  referrals: {
    referralId: string;
    toOrgId: string;
    reason: string;
    services: string[];
    consentId: string | undefined;
    override: { supervisorUserId: string; reason: Personal } | undefined;
    details: Personal;
    status: 'pending' | 'accepted' | 'rejected' | 'completed';
    madeAt: string;
  }[];
  corrections: {
    kind: 'retraction' | 'amendment';
    eventId: string;
    targetEventId: string;
    reasonCode: string;
    recordedAt: string;
  }[];
}

type Decision<Type extends 'ReasonableGroundsDecided' | 'ConclusiveGroundsDecided'> = Omit<
  EventData<Type>,
  'rationale'
> & {
  occurredAt: string;
  rationale: Personal;
};

function seal(value: unknown, eventId: string): Personal {
  return sealedFrom(value, eventId, isEncryptedField);
}

/**
 * The journey's identification state as a caseworker reads it, folded from the effective events
 * (corrections applied). Personal values stay sealed here; they are revealed per reader.
 */
export function identificationView(
  events: readonly RecordedEvent[],
): IdentificationView | undefined {
  const entries = events.map((recorded) => ({
    eventId: recorded.id,
    event: { ...identificationFamily.decode(recorded), recorded },
  }));
  const last = events[events.length - 1];
  let view: IdentificationView | undefined;
  for (const { event, dataEventId } of effectiveEntries(entries)) {
    const { type, data, recorded } = event;
    const at = recorded.metadata.occurredAt;
    // The id sealed into this data's encrypted fields: the amendment's, when it was amended.
    const id = dataEventId;
    if (type === 'JourneyOpened') {
      const opened = data;
      view = {
        journeyId: opened.journeyId,
        personId: opened.personId,
        jurisdiction: opened.jurisdiction,
        openedByOrgId: opened.openedByOrgId,
        openedAt: at,
        revision: 0,
        firstContact: undefined,
        indicators: [],
        reasonableGrounds: undefined,
        conclusiveGrounds: undefined,
        child: {
          presumedChild: false,
          ageAssessment: undefined,
          unaccompanied: false,
          guardian: undefined,
        },
        consents: [],
        information: [],
        referrals: [],
        corrections: [],
      };
      continue;
    }
    if (!view) continue;
    switch (type) {
      case 'FirstContactRecorded': {
        const fact = data;
        view.firstContact = {
          channel: fact.channel,
          occurredAt: at,
          location: seal(fact.location, id),
        };
        break;
      }
      case 'IndicatorsObserved': {
        const fact = data;
        view.indicators.push({
          indicators: fact.indicators,
          exploitationTypes: fact.exploitationTypes,
          observedByOrgId: fact.observedByOrgId,
          occurredAt: at,
          notes: seal(fact.notes, id),
        });
        break;
      }
      case 'ReasonableGroundsDecided': {
        const fact = data;
        view.reasonableGrounds = { ...fact, occurredAt: at, rationale: seal(fact.rationale, id) };
        break;
      }
      case 'ConclusiveGroundsDecided': {
        const fact = data;
        view.conclusiveGrounds = { ...fact, occurredAt: at, rationale: seal(fact.rationale, id) };
        break;
      }
      case 'AgeUncertaintyRecorded':
        view.child.presumedChild = true;
        break;
      case 'AgeAssessed': {
        const fact = data;
        view.child.presumedChild = fact.outcome === 'child';
        view.child.ageAssessment = {
          outcome: fact.outcome,
          method: fact.method,
          ageBand: fact.ageBand,
          occurredAt: at,
        };
        break;
      }
      case 'UnaccompaniedChildRecorded':
        view.child.unaccompanied = true;
        view.child.presumedChild = true;
        break;
      case 'GuardianAppointed': {
        const fact = data;
        view.child.guardian = {
          appointedBy: fact.appointedBy,
          guardianOrgId: fact.guardianOrgId,
          guardianName: seal(fact.guardianName, id),
          occurredAt: at,
        };
        break;
      }
      case 'ConsentRecorded': {
        const fact = data;
        view.consents.push({
          ...fact,
          validUntil: fact.validUntil,
          recordedAt: at,
          withdrawnAt: undefined,
        });
        break;
      }
      case 'ConsentWithdrawn': {
        const fact = data;
        const consent = view.consents.find((candidate) => candidate.consentId === fact.consentId);
        if (consent) consent.withdrawnAt = at;
        break;
      }
      case 'InformationProvided': {
        const fact = data;
        view.information.push({ ...fact, occurredAt: at });
        break;
      }
      case 'ReferralMade': {
        const made = data;
        view.referrals.push({
          referralId: made.referralId,
          toOrgId: made.toOrgId,
          reason: made.reason,
          services: made.services,
          consentId: made.consentId,
          override: made.override
            ? {
                supervisorUserId: made.override.supervisorUserId,
                reason: seal(made.override.reason, id),
              }
            : undefined,
          details: seal(made.details, id),
          status: 'pending',
          madeAt: at,
        });
        break;
      }
      case 'ReferralAccepted':
      case 'ReferralRejected':
      case 'ReferralCompleted': {
        const { referralId } = data;
        const referral = view.referrals.find((candidate) => candidate.referralId === referralId);
        if (referral)
          referral.status =
            type === 'ReferralAccepted'
              ? 'accepted'
              : type === 'ReferralRejected'
                ? 'rejected'
                : 'completed';
        break;
      }
    }
  }
  if (!view || !last) return undefined;
  view.revision = last.revision;
  for (const { type, data, recorded } of entries.map((entry) => entry.event)) {
    if (type === 'EventRetracted') {
      const { retractedEventId, reasonCode } = data;
      view.corrections.push({
        kind: 'retraction',
        eventId: recorded.id,
        targetEventId: retractedEventId,
        reasonCode,
        recordedAt: recorded.metadata.recordedAt,
      });
    } else if (type === 'EventAmended') {
      const { amendedEventId, reasonCode } = data;
      view.corrections.push({
        kind: 'amendment',
        eventId: recorded.id,
        targetEventId: amendedEventId,
        reasonCode,
        recordedAt: recorded.metadata.recordedAt,
      });
    }
  }
  return view;
}
