import {
  effectiveEntries,
  isEncryptedField,
  shelterFamily,
  type ShelterEventData,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { sealedFrom, type Sealed } from '@waypoint/privacy';

type Personal = Sealed | undefined;
type Snapshot = ShelterEventData<'ShelterAdmitted'>['shelter'];

interface RestrictionView {
  justificationCode: string;
  justification: Personal;
  reviewDate: string;
}

interface OverrideView {
  supervisorUserId: string;
  guards: string[];
  reason: Personal;
}

export interface PlacementView {
  placementId: string;
  shelter: Snapshot;
  status: 'open' | 'ended';
  startedAt: string;
  start:
    | { kind: 'admission'; consentId: string | undefined }
    | { kind: 'transfer'; fromPlacementId: string; reason: string };
  presumedChild: boolean;
  freedomOfMovementRestricted: boolean;
  restriction: RestrictionView | undefined;
  restrictionReviews: {
    outcome: 'lifted' | 'continued';
    restriction: RestrictionView | undefined;
    reviewedAt: string;
  }[];
  override: OverrideView | undefined;
  end:
    | {
        kind: 'exit';
        reason: string;
        details: Personal;
        override: OverrideView | undefined;
        endedAt: string;
      }
    | { kind: 'transfer'; toPlacementId: string; endedAt: string }
    | undefined;
}

export interface ShelterJourneyView {
  journeyId: string;
  revision: number;
  current: PlacementView | undefined;
  placements: PlacementView[];
  riskAssessments: (Omit<ShelterEventData<'RiskAssessmentCompleted'>, 'notes'> & {
    notes: Personal;
    occurredAt: string;
  })[];
  incidents: (Omit<ShelterEventData<'IncidentRecorded'>, 'description'> & {
    description: Personal;
    recordedAt: string;
  })[];
  corrections: {
    kind: 'retraction' | 'amendment';
    eventId: string;
    targetEventId: string;
    reasonCode: string;
    recordedAt: string;
  }[];
}

function restrictionView(
  restriction: ShelterEventData<'ShelterAdmitted'>['restriction'],
  eventId: string,
): RestrictionView | undefined {
  if (!restriction) return undefined;
  return {
    justificationCode: restriction.justificationCode,
    justification: sealedFrom(restriction.justification, eventId, isEncryptedField),
    reviewDate: restriction.reviewDate,
  };
}

function overrideView(
  override: ShelterEventData<'ShelterAdmitted'>['override'],
  eventId: string,
): OverrideView | undefined {
  if (!override) return undefined;
  return {
    supervisorUserId: override.supervisorUserId,
    guards: override.guards,
    reason: sealedFrom(override.reason, eventId, isEncryptedField),
  };
}

/**
 * A journey's placements, risk assessments and incidents, folded from the effective events
 * (corrections applied). Personal values stay sealed here; they are revealed per reader.
 */
export function placementView(
  journeyId: string,
  events: readonly RecordedEvent[],
): ShelterJourneyView | undefined {
  const last = events[events.length - 1];
  if (!last) return undefined;
  const entries = events.map((recorded) => ({
    eventId: recorded.id,
    event: { ...shelterFamily.decode(recorded), recorded },
  }));
  const view: ShelterJourneyView = {
    journeyId,
    revision: last.revision,
    current: undefined,
    placements: [],
    riskAssessments: [],
    incidents: [],
    corrections: [],
  };
  const byId = new Map<string, PlacementView>();
  for (const { event, dataEventId: id } of effectiveEntries(entries)) {
    const { type, data, recorded } = event;
    const at = recorded.metadata.occurredAt;
    switch (type) {
      case 'ShelterAdmitted':
      case 'ShelterTransferred': {
        const previous = type === 'ShelterTransferred' ? byId.get(data.fromPlacementId) : undefined;
        if (previous && type === 'ShelterTransferred') {
          previous.status = 'ended';
          previous.end = { kind: 'transfer', toPlacementId: data.placementId, endedAt: at };
        }
        const placement: PlacementView = {
          placementId: data.placementId,
          shelter: data.shelter,
          status: 'open',
          startedAt: at,
          start:
            type === 'ShelterAdmitted'
              ? { kind: 'admission', consentId: data.consentId }
              : { kind: 'transfer', fromPlacementId: data.fromPlacementId, reason: data.reason },
          presumedChild: data.presumedChild,
          freedomOfMovementRestricted: data.freedomOfMovementRestricted,
          restriction: restrictionView(data.restriction, id),
          restrictionReviews: [],
          override: overrideView(data.override, id),
          end: undefined,
        };
        byId.set(placement.placementId, placement);
        view.placements.push(placement);
        break;
      }
      case 'ShelterExited': {
        const placement = byId.get(data.placementId);
        if (!placement) break;
        placement.status = 'ended';
        placement.end = {
          kind: 'exit',
          reason: data.reason,
          details: sealedFrom(data.details, id, isEncryptedField),
          override: overrideView(data.override, id),
          endedAt: at,
        };
        break;
      }
      case 'MovementRestrictionReviewed': {
        const placement = byId.get(data.placementId);
        if (!placement) break;
        const restriction = restrictionView(data.restriction, id);
        placement.freedomOfMovementRestricted = data.outcome === 'continued';
        placement.restriction = restriction;
        placement.restrictionReviews.push({ outcome: data.outcome, restriction, reviewedAt: at });
        break;
      }
      case 'RiskAssessmentCompleted':
        view.riskAssessments.push({
          ...data,
          notes: sealedFrom(data.notes, id, isEncryptedField),
          occurredAt: at,
        });
        break;
      case 'IncidentRecorded':
        view.incidents.push({
          ...data,
          description: sealedFrom(data.description, id, isEncryptedField),
          recordedAt: at,
        });
        break;
      case 'EventRetracted':
      case 'EventAmended':
        break;
    }
  }
  view.current = view.placements.find((placement) => placement.status === 'open');
  for (const { event } of entries) {
    const { type, data, recorded } = event;
    if (type === 'EventRetracted' || type === 'EventAmended')
      view.corrections.push({
        kind: type === 'EventRetracted' ? 'retraction' : 'amendment',
        eventId: recorded.id,
        targetEventId: type === 'EventRetracted' ? data.retractedEventId : data.amendedEventId,
        reasonCode: data.reasonCode,
        recordedAt: recorded.metadata.recordedAt,
      });
  }
  return view;
}
