import { DomainError, historyToArray } from '@waypoint/decider';
import {
  canSeeJourney,
  controlsSharing,
  hasPendingReferralFor,
  journeyReadOnly,
  worksOnJourney,
  type Grants,
  type OpenJourney,
  type Viewer,
} from '@waypoint/journey-facts';
import type { JourneyCommand } from '../journey/domain/commands.js';

/** The journey exists but this caller may not see it: answered as if it did not exist. */
export class NotVisibleError extends DomainError {
  constructor() {
    super('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');
  }
}

/** How a command reaches the journey: through the caller's organisation, or a referral to answer. */
export type Visibility = 'journey' | 'pending-referral';

/** The events that decide who sees the journey: recording, correcting them widens or narrows it. */
const SHARING_EVENTS: ReadonlySet<string> = new Set([
  'ConsentRecorded',
  'ConsentWithdrawn',
  'ReferralMade',
  'ReferralAccepted',
  'ReferralRejected',
  'ReferralCompleted',
]);

/** Whether the command changes who sees the journey (a consent, a referral, or a correction of one). */
function changesSharing(command: JourneyCommand, journey: OpenJourney): boolean {
  switch (command.type) {
    case 'RecordFact':
      return command.event.type === 'ConsentRecorded';
    case 'WithdrawConsent':
    case 'MakeReferral':
      return true;
    case 'RetractEvent':
    case 'AmendEvent': {
      const targetId =
        command.type === 'RetractEvent'
          ? command.data.retractedEventId
          : command.data.amendedEventId;
      const target = historyToArray(journey.history).find((entry) => entry.eventId === targetId);
      return target !== undefined && SHARING_EVENTS.has(target.event.type);
    }
    default:
      return false;
  }
}

/**
 * Who may change a journey, checked before the decider: the organisations that work on it (the
 * opener, a referred organisation while its referral and consent hold), and for answering a
 * referral the organisation it is addressed to. A break-glass, an auditor's mandate or the
 * data-protection officer's role let a caller read the journey, never change it: otherwise a
 * reader could record a consent and a referral that outlast the opening. Who sees the journey
 * (consents, referrals, their withdrawal and correction) is the opening organisation's alone.
 */
export function assertMayChange(
  journey: OpenJourney,
  command: JourneyCommand,
  viewer: Viewer,
  grants: Grants,
  visibility: Visibility,
  at: string,
): void {
  const works =
    worksOnJourney(journey, viewer, at) ||
    (visibility === 'pending-referral' && hasPendingReferralFor(journey, viewer));
  if (!works) {
    if (canSeeJourney(journey, viewer, grants, at)) throw journeyReadOnly();
    throw new NotVisibleError();
  }
  if (changesSharing(command, journey) && !controlsSharing(journey, viewer))
    throw new DomainError(
      'SHARING_BY_OPENING_ORGANISATION_ONLY',
      'Only the organisation that opened the journey records consents, referrals and their withdrawal or correction',
      'forbidden',
    );
}
