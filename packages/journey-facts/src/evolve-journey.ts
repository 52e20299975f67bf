import { effectiveEvents } from '@waypoint/contracts';
import { historyToArray } from '@waypoint/decider';
import {
  initialState,
  type Consent,
  type JourneyEvent,
  type JourneyState,
  type OpenJourney,
  type Referral,
  withRegistryChild,
} from './journey-state.js';

function withReferral(
  state: OpenJourney,
  referralId: string,
  status: Referral['status'],
): OpenJourney {
  return {
    ...state,
    referrals: state.referrals.map((referral) =>
      referral.referralId === referralId ? { ...referral, status } : referral,
    ),
  };
}

/** The effect of one event that is not a correction. */
function apply(state: JourneyState, event: JourneyEvent): JourneyState {
  if (event.type === 'JourneyOpened') {
    return {
      status: 'open',
      journeyId: event.data.journeyId,
      personId: event.data.personId,
      jurisdiction: event.data.jurisdiction,
      openedByOrgId: event.data.openedByOrgId,
      consents: [],
      referrals: [],
      reasonableGrounds: undefined,
      conclusive: undefined,
      presumedChild: false,
      unaccompanied: false,
      guardianAppointed: false,
      history: undefined,
    };
  }
  if (state.status !== 'open') return state;
  switch (event.type) {
    case 'ReasonableGroundsDecided':
      return { ...state, reasonableGrounds: event.data.outcome };
    case 'ConclusiveGroundsDecided':
      return { ...state, conclusive: event.data.status };
    case 'AgeUncertaintyRecorded':
      return withRegistryChild({ ...state, childInJourney: true }, state.childInRegistry ?? false);
    case 'AgeAssessed':
      return withRegistryChild(
        { ...state, childInJourney: event.data.outcome === 'child' },
        state.childInRegistry ?? false,
      );
    case 'UnaccompaniedChildRecorded':
      return withRegistryChild(
        { ...state, unaccompanied: true, childInJourney: true },
        state.childInRegistry ?? false,
      );
    case 'GuardianAppointed':
      return { ...state, guardianAppointed: true };
    case 'ConsentRecorded': {
      const consent: Consent = {
        consentId: event.data.consentId,
        scope: event.data.scope,
        sharingWithOrgIds: event.data.sharingWithOrgIds,
        validUntil: event.data.validUntil,
        withdrawn: false,
      };
      return { ...state, consents: [...state.consents, consent] };
    }
    case 'ConsentWithdrawn':
      return {
        ...state,
        consents: state.consents.map((consent) =>
          consent.consentId === event.data.consentId ? { ...consent, withdrawn: true } : consent,
        ),
      };
    case 'ReferralMade':
      return {
        ...state,
        referrals: [
          ...state.referrals,
          {
            referralId: event.data.referralId,
            toOrgId: event.data.toOrgId,
            consentId: event.data.consentId,
            status: 'pending',
          },
        ],
      };
    case 'ReferralAccepted':
      return withReferral(state, event.data.referralId, 'accepted');
    case 'ReferralRejected':
      return withReferral(state, event.data.referralId, 'rejected');
    case 'ReferralCompleted':
      return withReferral(state, event.data.referralId, 'completed');
    default:
      return state;
  }
}

/** The event types whose facts a journey holds: `apply` changes nothing for any other. */
const FACT_EVENTS: ReadonlySet<JourneyEvent['type']> = new Set<JourneyEvent['type']>([
  'JourneyOpened',
  'ReasonableGroundsDecided',
  'ConclusiveGroundsDecided',
  'AgeUncertaintyRecorded',
  'AgeAssessed',
  'UnaccompaniedChildRecorded',
  'GuardianAppointed',
  'ConsentRecorded',
  'ConsentWithdrawn',
  'ReferralMade',
  'ReferralAccepted',
  'ReferralRejected',
  'ReferralCompleted',
  'EventRetracted',
  'EventAmended',
]);

/**
 * What a journey's history keeps: every event (a decider checks a correction's target against
 * it), or only the events its facts come from and the corrections (a view of every journey, which
 * never decides: a correction of any other event changes none of its facts, and the rest of the
 * history would hold every journey's events in memory).
 */
export type KeptHistory = 'every event' | 'facts only';

function fold(state: JourneyState, event: JourneyEvent, kept: KeptHistory): JourneyState {
  if (kept === 'facts only' && !FACT_EVENTS.has(event.type)) return apply(state, event);
  const history = {
    entry: { eventId: event.eventId ?? '', event },
    earlier: state.status === 'open' ? state.history : undefined,
  };
  if (event.type === 'EventRetracted' || event.type === 'EventAmended') {
    const rebuilt = effectiveEvents(historyToArray(history)).reduce<JourneyState>(
      apply,
      initialState(),
    );
    // A retracted opening leaves nothing to correct further: the journey stays as last known.
    return rebuilt.status === 'open'
      ? { ...rebuilt, history }
      : state.status === 'open'
        ? { ...state, history }
        : state;
  }
  const next = apply(state, event);
  return next.status === 'open' ? { ...next, history } : next;
}

/**
 * Folds one event. A correction (retraction, amendment) changes the meaning of history, so the
 * state is rebuilt from the effective events; every other event applies incrementally. The
 * history keeps every event.
 */
export function evolve(state: JourneyState, event: JourneyEvent): JourneyState {
  return fold(state, event, 'every event');
}

/** `evolve` for a view of every journey: the history keeps only the events its facts come from. */
export function evolveFacts(state: JourneyState, event: JourneyEvent): JourneyState {
  return fold(state, event, 'facts only');
}
