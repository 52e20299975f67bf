import {
  careFamily,
  effectiveEntries,
  isEncryptedField,
  type CareEventData,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { sealedFrom, type Sealed } from '@waypoint/privacy';

type Personal = Sealed | undefined;
type Provider = CareEventData<'CareDelivered'>['provider'];

function seal(value: unknown, eventId: string): Personal {
  return sealedFrom(value, eventId, isEncryptedField);
}

export interface ObjectiveView {
  objectiveId: string;
  careCode: string;
  supportPlanType: string;
  targetDate: string | undefined;
  description: Personal;
  legalBasis: string;
  addedAt: string;
  /** The latest progress recorded, or not_started. */
  status: string;
  progress: { status: string; note: Personal; recordedAt: string; byOrgId: string }[];
}

export interface PlanView {
  planId: string;
  createdAt: string;
  createdByOrgId: string;
  reviewDate: string | undefined;
  legalBasis: string;
  consentId: string | undefined;
  override: { supervisorUserId: string; reason: Personal } | undefined;
  summary: Personal;
  objectives: ObjectiveView[];
  /** How many objectives are at each status. */
  progress: Record<string, number>;
}

export interface AssistanceView {
  status: 'assisting' | 'ended';
  endings: {
    reason: string;
    endedBy: Provider;
    endedAt: string;
    explanation: Personal;
    /** The supervisor's override an end for a cooperation reason needs. */
    override: { supervisorUserId: string; reason: Personal } | undefined;
  }[];
}

export interface CorrectionView {
  kind: 'retraction' | 'amendment';
  eventId: string;
  targetEventId: string;
  reasonCode: string;
  recordedAt: string;
}

export interface DeliveryView {
  deliveryId: string;
  careCode: string;
  provider: Provider;
  language: string;
  interpreterUsed: boolean;
  deliveredAt: string;
  vitalInterest: boolean;
  authorisationId: string | undefined;
  planId: string | undefined;
  objectiveId: string | undefined;
  clinicalDetails: Personal;
  notes: Personal;
}

export interface AuthorisationView {
  authorisationId: string;
  careCode: string;
  supportPlanType: string;
  provider: Provider | undefined;
  planId: string | undefined;
  objectiveId: string | undefined;
  validUntil: string | undefined;
  legalBasis: string;
  consentId: string | undefined;
  override: { supervisorUserId: string; reason: Personal } | undefined;
  notes: Personal;
  authorisedAt: string;
}

export interface ServiceTypeView {
  supportPlanType: string;
  deliveries: number;
  /** Deliveries of each finer care code of this type. */
  careCodes: Record<string, number>;
  firstDeliveredAt: string;
  lastDeliveredAt: string;
  items: DeliveryView[];
}

export interface CarePlansView {
  journeyId: string;
  /** The care stream's revision; undefined while nothing is recorded. */
  revision: number | undefined;
  assistance: AssistanceView;
  plans: PlanView[];
  corrections: CorrectionView[];
}

export interface CareServicesView {
  journeyId: string;
  revision: number | undefined;
  assistance: AssistanceView;
  /** Services delivered, per HTCDS support-plan type. */
  byType: ServiceTypeView[];
  authorisations: AuthorisationView[];
  corrections: CorrectionView[];
}

interface CareRecordView {
  revision: number | undefined;
  assistance: AssistanceView;
  plans: PlanView[];
  deliveries: (DeliveryView & { supportPlanType: string })[];
  authorisations: AuthorisationView[];
  corrections: CorrectionView[];
}

const overrideOf = (
  override: CareEventData<'CarePlanCreated'>['override'],
  id: string,
): PlanView['override'] =>
  override
    ? { supervisorUserId: override.supervisorUserId, reason: seal(override.reason, id) }
    : undefined;

/**
 * The journey's care record, folded from the effective events (corrections applied). Personal
 * values stay sealed here; they are revealed per reader.
 */
function careRecord(events: readonly RecordedEvent[]): CareRecordView {
  const entries = events.map((recorded) => ({
    eventId: recorded.id,
    event: { ...careFamily.decode(recorded), recorded },
  }));
  const view: CareRecordView = {
    revision: events[events.length - 1]?.revision,
    assistance: { status: 'assisting', endings: [] },
    plans: [],
    deliveries: [],
    authorisations: [],
    corrections: [],
  };
  const objectiveOf = (planId: string, objectiveId: string): ObjectiveView | undefined =>
    view.plans
      .find((plan) => plan.planId === planId)
      ?.objectives.find((objective) => objective.objectiveId === objectiveId);
  for (const { event, dataEventId: id } of effectiveEntries(entries)) {
    const { recorded } = event;
    const at = recorded.metadata.occurredAt;
    switch (event.type) {
      case 'CarePlanCreated': {
        const { data } = event;
        view.assistance.status = 'assisting';
        view.plans.push({
          planId: data.planId,
          createdAt: at,
          createdByOrgId: recorded.metadata.actor.orgId,
          reviewDate: data.reviewDate,
          legalBasis: data.legalBasis,
          consentId: data.consentId,
          override: overrideOf(data.override, id),
          summary: seal(data.summary, id),
          objectives: [],
          progress: {},
        });
        break;
      }
      case 'CareObjectiveAdded': {
        const { data } = event;
        view.assistance.status = 'assisting';
        view.plans
          .find((plan) => plan.planId === data.planId)
          ?.objectives.push({
            objectiveId: data.objectiveId,
            careCode: data.careCode,
            supportPlanType: data.supportPlanType,
            targetDate: data.targetDate,
            description: seal(data.description, id),
            legalBasis: data.legalBasis,
            addedAt: at,
            status: 'not_started',
            progress: [],
          });
        break;
      }
      case 'CareObjectiveProgressRecorded': {
        const { data } = event;
        const objective = objectiveOf(data.planId, data.objectiveId);
        if (!objective) break;
        objective.status = data.status;
        objective.progress.push({
          status: data.status,
          note: seal(data.note, id),
          recordedAt: at,
          byOrgId: recorded.metadata.actor.orgId,
        });
        break;
      }
      case 'CareAuthorised': {
        const { data } = event;
        view.assistance.status = 'assisting';
        view.authorisations.push({
          authorisationId: data.authorisationId,
          careCode: data.careCode,
          supportPlanType: data.supportPlanType,
          provider: data.provider,
          planId: data.planId,
          objectiveId: data.objectiveId,
          validUntil: data.validUntil,
          legalBasis: data.legalBasis,
          consentId: data.consentId,
          override: overrideOf(data.override, id),
          notes: seal(data.notes, id),
          authorisedAt: at,
        });
        break;
      }
      case 'CareDelivered': {
        const { data } = event;
        view.deliveries.push({
          deliveryId: data.deliveryId,
          careCode: data.careCode,
          supportPlanType: data.supportPlanType,
          provider: data.provider,
          language: data.language,
          interpreterUsed: data.interpreterUsed,
          deliveredAt: data.deliveredAt,
          vitalInterest: data.vitalInterest,
          authorisationId: data.authorisationId,
          planId: data.planId,
          objectiveId: data.objectiveId,
          clinicalDetails: seal(data.clinicalDetails, id),
          notes: seal(data.notes, id),
        });
        break;
      }
      case 'AssistanceEnded': {
        const { data } = event;
        view.assistance.status = 'ended';
        view.assistance.endings.push({
          reason: data.reason,
          endedBy: data.endedBy,
          endedAt: data.endedAt,
          explanation: seal(data.explanation, id),
          override: overrideOf(data.override, id),
        });
        break;
      }
      case 'EventRetracted':
      case 'EventAmended':
        break;
    }
  }
  for (const plan of view.plans) {
    for (const objective of plan.objectives)
      plan.progress[objective.status] = (plan.progress[objective.status] ?? 0) + 1;
  }
  for (const { event } of entries) {
    if (event.type === 'EventRetracted')
      view.corrections.push({
        kind: 'retraction',
        eventId: event.recorded.id,
        targetEventId: event.data.retractedEventId,
        reasonCode: event.data.reasonCode,
        recordedAt: event.recorded.metadata.recordedAt,
      });
    else if (event.type === 'EventAmended')
      view.corrections.push({
        kind: 'amendment',
        eventId: event.recorded.id,
        targetEventId: event.data.amendedEventId,
        reasonCode: event.data.reasonCode,
        recordedAt: event.recorded.metadata.recordedAt,
      });
  }
  return view;
}

/** The care plans of a journey, with their objectives and the progress on each. */
export function carePlansView(journeyId: string, events: readonly RecordedEvent[]): CarePlansView {
  const { revision, assistance, plans, corrections } = careRecord(events);
  return { journeyId, revision, assistance, plans, corrections };
}

/** The services delivered on a journey, per HTCDS support-plan type, and the care authorised. */
export function careServicesView(
  journeyId: string,
  events: readonly RecordedEvent[],
): CareServicesView {
  const { revision, assistance, deliveries, authorisations, corrections } = careRecord(events);
  const byType = new Map<string, ServiceTypeView>();
  const ordered = [...deliveries].sort(
    (a, b) => Date.parse(a.deliveredAt) - Date.parse(b.deliveredAt),
  );
  for (const { supportPlanType, ...delivery } of ordered) {
    const group = byType.get(supportPlanType) ?? {
      supportPlanType,
      deliveries: 0,
      careCodes: {},
      firstDeliveredAt: delivery.deliveredAt,
      lastDeliveredAt: delivery.deliveredAt,
      items: [],
    };
    group.deliveries += 1;
    group.careCodes[delivery.careCode] = (group.careCodes[delivery.careCode] ?? 0) + 1;
    group.lastDeliveredAt = delivery.deliveredAt;
    group.items.push(delivery);
    byType.set(supportPlanType, group);
  }
  return {
    journeyId,
    revision,
    assistance,
    byType: [...byType.values()].sort((a, b) => a.supportPlanType.localeCompare(b.supportPlanType)),
    authorisations,
    corrections,
  };
}
