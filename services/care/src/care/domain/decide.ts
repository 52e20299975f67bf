import {
  CARE_END_REASONS_FLAGGED,
  careEventData,
  supportPlanTypeOfCare,
  VITAL_INTEREST_CARE_CODE,
  type CareEvent,
  type CareEventData,
  type HistoryEntry,
} from '@waypoint/contracts';
import { decideCorrection, DomainError, type Actor, type CorrectionRules } from '@waypoint/decider';
import { validConsent } from '@waypoint/journey-facts';
import type { CareCommand, DecisionContext, PlannedObjective } from './commands.js';
import type { CareState, CareStreamEvent, PlanState } from './state.js';

type Basis = Pick<CareEventData<'CarePlanCreated'>, 'legalBasis' | 'consentId' | 'override'>;

/** Drops the keys whose value is undefined, so events hold only what was given. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

/**
 * Planning or authorising care needs a valid services consent at the time of the decision (CoE
 * Art. 12(7), Directive 2011/36 Art. 11(5)); emergency medical care alone may rest on the person's
 * vital interest; otherwise only a supervisor's override, with a reason, stands in for consent.
 */
function decideBasis(context: DecisionContext, careCodes: readonly string[]): Basis {
  const { basis, actor, journey, now } = context;
  if (basis.legalBasis === 'supervisor_override') {
    if (!actor.roles.includes('supervisor'))
      throw new DomainError(
        'OVERRIDE_REQUIRES_SUPERVISOR',
        'Only a supervisor can record an override, in their own name',
        'forbidden',
        'legalBasis',
      );
    if (basis.overrideReason === undefined)
      throw new DomainError(
        'OVERRIDE_REASON_REQUIRED',
        'An override records the reason consent could not be relied on',
        'precondition',
        'overrideReason',
      );
    return {
      legalBasis: 'supervisor_override',
      override: { supervisorUserId: actor.userId, reason: basis.overrideReason },
    };
  }
  if (basis.overrideReason !== undefined)
    throw new DomainError(
      'OVERRIDE_REASON_WITHOUT_OVERRIDE',
      'An override reason is given only with the supervisor_override basis',
      'precondition',
      'overrideReason',
    );
  if (basis.legalBasis === 'vital_interest') {
    if (careCodes.length === 0 || careCodes.some((code) => code !== VITAL_INTEREST_CARE_CODE))
      throw new DomainError(
        'VITAL_INTEREST_ONLY_FOR_EMERGENCY_MEDICAL',
        'Only emergency medical care may rest on the vital interest of the person',
        'precondition',
        'legalBasis',
      );
    return { legalBasis: 'vital_interest' };
  }
  const consent = validConsent(journey, 'services', now);
  if (consent) return { legalBasis: 'consent', consentId: consent.consentId };
  const services = journey.consents.filter((candidate) => candidate.scope === 'services');
  if (services.some((candidate) => candidate.withdrawn))
    throw new DomainError(
      'SERVICES_CONSENT_WITHDRAWN',
      'The services consent was withdrawn: care is planned or authorised again only on new consent',
      'precondition',
      'legalBasis',
    );
  if (services.length > 0)
    throw new DomainError(
      'SERVICES_CONSENT_EXPIRED',
      'The services consent is no longer valid',
      'precondition',
      'legalBasis',
    );
  throw new DomainError(
    'SERVICES_CONSENT_REQUIRED',
    "A valid services consent is required, a vital-interest basis for emergency medical care, or a supervisor's override with a reason",
    'precondition',
    'legalBasis',
  );
}

/**
 * Assistance does not depend on cooperation with the authorities (CoE Art. 12(6), Directive
 * 2011/36 Art. 11(3)): ending it for a cooperation reason is refused unless a supervisor overrides,
 * with a reason, as a shelter exit is; the override is recorded with the end, and AS-02 still
 * flags it. An override reason is refused from anyone but a supervisor, and where nothing needs one.
 */
const endsOnCooperation = (reason: string): boolean =>
  (CARE_END_REASONS_FLAGGED as readonly string[]).includes(reason);

const conditionalOnCooperation = (field: string): DomainError =>
  new DomainError(
    'ASSISTANCE_CONDITIONAL_ON_COOPERATION',
    "Assistance does not depend on cooperation with the authorities (CoE 12(6), EU 11(3)): only a supervisor's override, with a reason, records this end",
    'precondition',
    field,
  );

function endOverride(
  reason: CareEventData<'AssistanceEnded'>['reason'],
  actor: Actor,
  overrideReason: string | undefined,
): CareEventData<'AssistanceEnded'>['override'] {
  if (overrideReason !== undefined && !actor.roles.includes('supervisor'))
    throw new DomainError(
      'OVERRIDE_REQUIRES_SUPERVISOR',
      'Only a supervisor can record an override, in their own name',
      'forbidden',
      'overrideReason',
    );
  if (!endsOnCooperation(reason)) {
    if (overrideReason !== undefined)
      throw new DomainError(
        'OVERRIDE_REASON_WITHOUT_OVERRIDE',
        'Only an end for a cooperation reason needs an override',
        'precondition',
        'overrideReason',
      );
    return undefined;
  }
  if (overrideReason === undefined) throw conditionalOnCooperation('reason');
  return { supervisorUserId: actor.userId, reason: overrideReason };
}

/** The HTCDS support-plan type of a care code; a local code brings its own. */
function supportPlanTypeFor(careCode: string, given: string | undefined, field: string): string {
  const mapped = supportPlanTypeOfCare(careCode);
  if (mapped === undefined) {
    if (given === undefined)
      throw new DomainError(
        'SUPPORT_PLAN_TYPE_REQUIRED',
        'A local care code names the HTCDS support-plan type it belongs to',
        'precondition',
        field,
      );
    return given;
  }
  if (given !== undefined && given !== mapped)
    throw new DomainError(
      'SUPPORT_PLAN_TYPE_MISMATCH',
      `${careCode} care is of support-plan type ${mapped}`,
      'precondition',
      field,
    );
  return mapped;
}

function planOf(state: CareState, planId: string, kind: 'not_found' | 'precondition'): PlanState {
  const plan = state.plans.find((candidate) => candidate.planId === planId);
  if (!plan)
    throw new DomainError(
      'CARE_PLAN_NOT_FOUND',
      'No such care plan on this journey',
      kind,
      'planId',
    );
  return plan;
}

function assertObjective(
  plan: PlanState,
  objectiveId: string,
  kind: 'not_found' | 'precondition',
): void {
  if (!plan.objectiveIds.includes(objectiveId))
    throw new DomainError(
      'OBJECTIVE_NOT_FOUND',
      'No such objective in this care plan',
      kind,
      'objectiveId',
    );
}

/** A plan, objective or authorisation a body refers to must exist on the journey. */
function assertReferences(
  state: CareState,
  refs: { planId?: string | undefined; objectiveId?: string | undefined },
): void {
  if (refs.objectiveId !== undefined && refs.planId === undefined)
    throw new DomainError(
      'OBJECTIVE_NEEDS_PLAN',
      'An objective is named with its care plan',
      'precondition',
      'planId',
    );
  if (refs.planId === undefined) return;
  const plan = planOf(state, refs.planId, 'precondition');
  if (refs.objectiveId !== undefined) assertObjective(plan, refs.objectiveId, 'precondition');
}

function assertNotLater(at: string, now: string, code: string, field: string): void {
  if (Date.parse(at) > Date.parse(now))
    throw new DomainError(code, 'A recorded fact has already happened', 'precondition', field);
}

function objectiveAdded(
  planId: string,
  objective: PlannedObjective,
  basis: Basis,
  field: string,
): CareEvent {
  return {
    type: 'CareObjectiveAdded',
    data: compact({
      planId,
      objectiveId: objective.objectiveId,
      careCode: objective.careCode,
      supportPlanType: supportPlanTypeFor(
        objective.careCode,
        objective.supportPlanType,
        `${field}.supportPlanType`,
      ),
      targetDate: objective.targetDate,
      description: objective.description,
      ...basis,
    }),
  };
}

const LEGAL_BASIS_KEPT =
  'The legal basis of a decision is what it was when it was taken; it is not amended';

/**
 * A decision's guard ran on its legal basis, so an amendment keeps the basis (and the supervisor
 * who overrode, if one did) as well as the ids that tie events together. An end is not amended
 * into one for a cooperation reason that no supervisor overrode.
 */
const CORRECTIONS: CorrectionRules<HistoryEntry<CareStreamEvent>> = {
  schemas: careEventData,
  notFound: 'No such event in the care record of this journey',
  namesTargetField: false,
  kept: [
    {
      fields: ['planId', 'objectiveId', 'authorisationId', 'deliveryId'],
      code: 'AMENDMENT_CHANGES_ID',
      message: () =>
        'An amendment corrects data; it does not move the event to another plan, objective or record',
    },
    {
      fields: ['legalBasis', 'consentId', 'override.supervisorUserId'],
      code: 'AMENDMENT_CHANGES_LEGAL_BASIS',
      message: () => LEGAL_BASIS_KEPT,
    },
  ],
  checkAmendment(type, after) {
    if (
      type === 'AssistanceEnded' &&
      typeof after.reason === 'string' &&
      endsOnCooperation(after.reason) &&
      after.override === undefined
    )
      throw conditionalOnCooperation('replacement.reason');
    if (typeof after.careCode === 'string' && typeof after.supportPlanType === 'string')
      supportPlanTypeFor(after.careCode, after.supportPlanType, 'replacement.supportPlanType');
  },
};

export function decide(command: CareCommand, state: CareState): CareEvent[] {
  switch (command.type) {
    case 'CreateCarePlan': {
      const { plan, objectives } = command;
      if (state.plans.some((candidate) => candidate.planId === plan.planId))
        throw new DomainError(
          'CARE_PLAN_ALREADY_EXISTS',
          'This care plan id is taken',
          'conflict',
          'planId',
        );
      const basis = decideBasis(
        command,
        objectives.map((objective) => objective.careCode),
      );
      return [
        { type: 'CarePlanCreated', data: compact({ ...plan, ...basis }) },
        ...objectives.map((objective, index) =>
          objectiveAdded(plan.planId, objective, basis, `objectives.${String(index)}`),
        ),
      ];
    }
    case 'AddObjective': {
      const plan = planOf(state, command.planId, 'not_found');
      if (plan.objectiveIds.includes(command.objective.objectiveId))
        throw new DomainError(
          'OBJECTIVE_ALREADY_EXISTS',
          'This objective id is taken',
          'conflict',
          'objectiveId',
        );
      const basis = decideBasis(command, [command.objective.careCode]);
      return [objectiveAdded(plan.planId, command.objective, basis, 'objective')];
    }
    case 'RecordProgress': {
      const plan = planOf(state, command.data.planId, 'not_found');
      assertObjective(plan, command.data.objectiveId, 'not_found');
      return [{ type: 'CareObjectiveProgressRecorded', data: command.data }];
    }
    case 'AuthoriseCare': {
      const { data } = command;
      if (state.authorisationIds.includes(data.authorisationId))
        throw new DomainError(
          'AUTHORISATION_ALREADY_EXISTS',
          'This authorisation id is taken',
          'conflict',
          'authorisationId',
        );
      assertReferences(state, data);
      const supportPlanType = supportPlanTypeFor(
        data.careCode,
        data.supportPlanType,
        'supportPlanType',
      );
      const basis = decideBasis(command, [data.careCode]);
      return [{ type: 'CareAuthorised', data: compact({ ...data, supportPlanType, ...basis }) }];
    }
    case 'RecordCareDelivered': {
      const { data } = command;
      if (state.deliveryIds.includes(data.deliveryId))
        throw new DomainError(
          'DELIVERY_ALREADY_RECORDED',
          'This delivery id is taken',
          'conflict',
          'deliveryId',
        );
      assertNotLater(data.deliveredAt, command.now, 'DELIVERY_IN_FUTURE', 'deliveredAt');
      if (
        data.authorisationId !== undefined &&
        !state.authorisationIds.includes(data.authorisationId)
      )
        throw new DomainError(
          'AUTHORISATION_NOT_FOUND',
          'No such authorisation on this journey',
          'precondition',
          'authorisationId',
        );
      assertReferences(state, data);
      const supportPlanType = supportPlanTypeFor(
        data.careCode,
        data.supportPlanType,
        'supportPlanType',
      );
      // Care already delivered is a fact: recorded whatever the consent was; the audit checks it.
      return [{ type: 'CareDelivered', data: compact({ ...data, supportPlanType }) }];
    }
    case 'RecordAssistanceEnded': {
      const override = endOverride(command.data.reason, command.actor, command.overrideReason);
      if (state.status === 'ended')
        throw new DomainError(
          'ASSISTANCE_ALREADY_ENDED',
          'Assistance already ended; a new plan or authorisation resumes it',
          'conflict',
        );
      assertNotLater(command.data.endedAt, command.now, 'END_IN_FUTURE', 'endedAt');
      // Even on an override, an end for non-cooperation is flagged by the audit (AS-02).
      return [{ type: 'AssistanceEnded', data: compact({ ...command.data, override }) }];
    }
    case 'RetractEvent':
    case 'AmendEvent':
      return decideCorrection(command, state.history, CORRECTIONS);
  }
}
