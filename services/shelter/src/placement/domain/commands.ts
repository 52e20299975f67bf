import type { MOVEMENT_RESTRICTION_JUSTIFICATIONS, ShelterEventData } from '@waypoint/contracts';
import type { Actor } from '@waypoint/decider';

/** The shelter as the registry knows it when the decision is taken, or null when unknown. */
export interface ShelterFacts {
  readonly shelterId: string;
  readonly operatorOrgId: string;
  readonly type: string;
  readonly capacity: number;
  readonly childOnly: boolean;
  readonly adultsOnly: boolean;
  readonly secure: boolean;
  readonly closed: boolean;
  /** Open placements in it now, of other journeys. */
  readonly occupied: number;
}

/** What the identification facts say about the journey when the decision is taken. */
export interface JourneyFacts {
  readonly presumedChild: boolean;
  /** A services consent valid now, if any. */
  readonly servicesConsentId: string | undefined;
}

/** A requested restriction of freedom of movement, as the client sent it: checked by the decider. */
export interface MovementInput {
  readonly restricted: boolean;
  readonly justificationCode?: (typeof MOVEMENT_RESTRICTION_JUSTIFICATIONS)[number];
  readonly justification?: string;
  readonly reviewDate?: string;
}

interface Decision {
  readonly actor: Actor;
  /** The day the decision is taken (YYYY-MM-DD): review dates are judged against it. */
  readonly today: string;
  /** A supervisor's reason for overriding the guards that allow it. */
  readonly overrideReason?: string;
}

export type PlacementCommand =
  | (Decision & {
      readonly type: 'AdmitToShelter';
      readonly placementId: string;
      readonly shelter: ShelterFacts | null;
      readonly journey: JourneyFacts;
      readonly movement: MovementInput;
    })
  | (Decision & {
      readonly type: 'TransferToShelter';
      readonly placementId: string;
      readonly shelter: ShelterFacts | null;
      readonly journey: JourneyFacts;
      readonly movement: MovementInput;
      readonly reason: ShelterEventData<'ShelterTransferred'>['reason'];
    })
  | (Decision & {
      readonly type: 'ExitShelter';
      readonly reason: ShelterEventData<'ShelterExited'>['reason'];
      readonly details?: string;
    })
  | (Decision & {
      readonly type: 'ReviewMovementRestriction';
      readonly movement: MovementInput;
    })
  | {
      readonly type: 'RecordRiskAssessment';
      readonly data: Omit<ShelterEventData<'RiskAssessmentCompleted'>, 'placementId'>;
    }
  | {
      readonly type: 'RecordIncident';
      readonly data: Omit<ShelterEventData<'IncidentRecorded'>, 'placementId' | 'shelterId'>;
      /** When it happened, if stated as an instant (UTC): the event's envelope occurredAt. */
      readonly occurredAt?: string;
    }
  | { readonly type: 'RetractEvent'; readonly data: ShelterEventData<'EventRetracted'> }
  | { readonly type: 'AmendEvent'; readonly data: ShelterEventData<'EventAmended'> };
