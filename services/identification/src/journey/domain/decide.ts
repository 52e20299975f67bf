import {
  identificationEventData,
  identificationFamily,
  type HistoryEntry,
  type IdentificationEvent,
} from '@waypoint/contracts';
import { decideCorrection, DomainError, type Actor, type CorrectionRules } from '@waypoint/decider';
import type {
  Consent,
  JourneyEvent,
  JourneyState,
  OpenJourney,
  Referral,
} from '@waypoint/journey-facts';
import type { JourneyCommand } from './commands.js';

const notFound = (): DomainError =>
  new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');

function openJourney(state: JourneyState): OpenJourney {
  if (state.status !== 'open') throw notFound();
  return state;
}

function referralOf(state: OpenJourney, referralId: string): Referral {
  const referral = state.referrals.find((candidate) => candidate.referralId === referralId);
  if (!referral)
    throw new DomainError(
      'REFERRAL_NOT_FOUND',
      'No such referral on this journey',
      'not_found',
      'referralId',
    );
  return referral;
}

/** Withdrawn or expired consent cannot be relied on. */
function usableConsent(
  state: OpenJourney,
  consentId: string | undefined,
  scope: Consent['scope'],
  now: string,
): Consent {
  const consent = state.consents.find(
    (candidate) => candidate.consentId === consentId && candidate.scope === scope,
  );
  if (!consent) {
    throw new DomainError(
      'CONSENT_REQUIRED',
      `A recorded ${scope} consent is required, or a supervisor's override with a reason`,
      'precondition',
      'consentId',
    );
  }
  if (consent.withdrawn)
    throw new DomainError(
      'CONSENT_WITHDRAWN',
      'This consent was withdrawn and cannot be relied on',
      'precondition',
      'consentId',
    );
  if (consent.validUntil !== undefined && consent.validUntil <= now) {
    throw new DomainError(
      'CONSENT_EXPIRED',
      'This consent is no longer valid',
      'precondition',
      'consentId',
    );
  }
  return consent;
}

function decideReferral(
  state: OpenJourney,
  command: Extract<JourneyCommand, { type: 'MakeReferral' }>,
): IdentificationEvent[] {
  const { data, actor, target, now } = command;
  if (!target)
    throw new DomainError(
      'ORGANISATION_NOT_FOUND',
      'The organisation is not in the directory',
      'precondition',
      'toOrgId',
    );
  if (!target.acceptsReferrals) {
    throw new DomainError(
      'ORGANISATION_NOT_ACCEPTING_REFERRALS',
      'The organisation does not accept referrals',
      'precondition',
      'toOrgId',
    );
  }
  if (data.toOrgId === actor.orgId)
    throw new DomainError(
      'REFERRAL_TO_OWN_ORGANISATION',
      'A journey is not referred to its own organisation',
      'precondition',
      'toOrgId',
    );
  if (
    state.referrals.some(
      (referral) =>
        referral.toOrgId === data.toOrgId &&
        (referral.status === 'pending' || referral.status === 'accepted'),
    )
  ) {
    throw new DomainError(
      'REFERRAL_ALREADY_OPEN',
      'This organisation already has an open referral for the journey',
      'conflict',
      'toOrgId',
    );
  }
  if (data.override) {
    if (!actor.roles.includes('supervisor') || data.override.supervisorUserId !== actor.userId) {
      throw new DomainError(
        'OVERRIDE_REQUIRES_SUPERVISOR',
        'Only a supervisor can record an override, in their own name',
        'forbidden',
        'override',
      );
    }
    return [{ type: 'ReferralMade', data }];
  }
  const consent = usableConsent(state, data.consentId, 'sharing', now);
  if (consent.sharingWithOrgIds.length > 0 && !consent.sharingWithOrgIds.includes(data.toOrgId)) {
    throw new DomainError(
      'CONSENT_DOES_NOT_COVER_ORGANISATION',
      'The sharing consent does not name this organisation',
      'precondition',
      'consentId',
    );
  }
  return [{ type: 'ReferralMade', data }];
}

function assertAddressee(referral: Referral, actor: Actor): void {
  if (referral.toOrgId !== actor.orgId) {
    throw new DomainError(
      'REFERRAL_NOT_ADDRESSED_TO_YOU',
      'Only the referred organisation can answer a referral',
      'forbidden',
      'referralId',
    );
  }
}

function assertPending(referral: Referral): void {
  if (referral.status !== 'pending')
    throw new DomainError(
      'REFERRAL_NOT_PENDING',
      `The referral is ${referral.status}`,
      'conflict',
      'referralId',
    );
}

/**
 * How an identification event is corrected: the opening of a journey never is, and a decision is
 * retracted and decided again rather than amended (amending would take it again without its
 * guards: a referral to another organisation, on no consent). A replacement is stored as
 * validated: unknown keys dropped, defaults applied, so nothing unclassified rides along.
 */
const CORRECTIONS: CorrectionRules<HistoryEntry<JourneyEvent>> = {
  schemas: identificationEventData,
  notFound: 'No such event on this journey',
  namesTargetField: false,
  uncorrectable: {
    type: 'JourneyOpened',
    code: 'JOURNEY_OPENING_NOT_CORRECTABLE',
    message: 'The opening of a journey cannot be retracted or amended',
  },
  decisions: {
    isDecision: (type) => identificationFamily.definition(type).origin === 'decision',
    message: 'A decision is corrected by retracting it and deciding again',
  },
  storesParsedReplacement: true,
};

export function decide(command: JourneyCommand, state: JourneyState): IdentificationEvent[] {
  if (command.type === 'OpenJourney') {
    if (state.status !== 'none')
      throw new DomainError(
        'JOURNEY_ALREADY_EXISTS',
        'This journey id is taken',
        'conflict',
        'journeyId',
      );
    return [{ type: 'JourneyOpened', data: command.data }];
  }
  const journey = openJourney(state);
  switch (command.type) {
    case 'RecordFact': {
      const { event } = command;
      if (
        event.type === 'ConsentRecorded' &&
        journey.consents.some((consent) => consent.consentId === event.data.consentId)
      ) {
        throw new DomainError(
          'CONSENT_ALREADY_RECORDED',
          'This consent id is taken',
          'conflict',
          'consentId',
        );
      }
      return [event];
    }
    case 'WithdrawConsent': {
      const consent = journey.consents.find(
        (candidate) => candidate.consentId === command.consentId,
      );
      if (!consent)
        throw new DomainError(
          'CONSENT_NOT_FOUND',
          'No such consent on this journey',
          'not_found',
          'consentId',
        );
      if (consent.withdrawn)
        throw new DomainError(
          'CONSENT_ALREADY_WITHDRAWN',
          'The consent was already withdrawn',
          'conflict',
          'consentId',
        );
      return [
        { type: 'ConsentWithdrawn', data: { consentId: consent.consentId, scope: consent.scope } },
      ];
    }
    case 'MakeReferral':
      return decideReferral(journey, command);
    case 'AcceptReferral': {
      const referral = referralOf(journey, command.referralId);
      assertAddressee(referral, command.actor);
      assertPending(referral);
      // The consent the referral relied on must still hold now (not withdrawn, not expired).
      if (referral.consentId !== undefined)
        usableConsent(journey, referral.consentId, 'sharing', command.now);
      return [
        {
          type: 'ReferralAccepted',
          data: { referralId: referral.referralId, byOrgId: command.actor.orgId },
        },
      ];
    }
    case 'RejectReferral': {
      const referral = referralOf(journey, command.referralId);
      assertAddressee(referral, command.actor);
      assertPending(referral);
      return [
        {
          type: 'ReferralRejected',
          data: {
            referralId: referral.referralId,
            byOrgId: command.actor.orgId,
            reasonCode: command.reasonCode,
          },
        },
      ];
    }
    case 'CompleteReferral': {
      const referral = referralOf(journey, command.referralId);
      if (
        command.actor.orgId !== referral.toOrgId &&
        command.actor.orgId !== journey.openedByOrgId
      ) {
        throw new DomainError(
          'REFERRAL_NOT_YOURS',
          'Only the two organisations of a referral can complete it',
          'forbidden',
          'referralId',
        );
      }
      if (referral.status !== 'accepted')
        throw new DomainError(
          'REFERRAL_NOT_ACCEPTED',
          `The referral is ${referral.status}`,
          'conflict',
          'referralId',
        );
      return [{ type: 'ReferralCompleted', data: { referralId: referral.referralId } }];
    }
    case 'RetractEvent':
    case 'AmendEvent':
      return decideCorrection(command, journey.history, CORRECTIONS);
  }
}
