import {
  CATEGORIES,
  erasureFamily,
  familyCodec,
  legalHoldFamily,
  type Category,
  type ErasureReasonCode,
  type ErasureService,
  type LEGAL_HOLD_LIFT_REASONS,
  type LegalHoldBasis,
} from '@waypoint/contracts';
import { handleCommand, readState, type CommandContext } from '@waypoint/decider';
import type { EventStore, LiveView } from '@waypoint/eventstore';
import type { KeyStore, PendingErasure, PurgeReport } from '@waypoint/privacy';
import { underHold } from './domain/erasure-request/decide.js';
import { erasureDecider } from './domain/erasure-request/erasure-decider.js';
import { nextStep, unconfirmed } from './domain/erasure-request/next-step.js';
import type { ErasureState } from './domain/erasure-request/state.js';
import { legalHoldDecider } from './domain/legal-hold/legal-hold-decider.js';
import { activeHolds, type ActiveHold } from './domain/legal-hold/state.js';
import type { ErasureLedger } from './erasure-ledger.js';
import { erasureStreams } from './streams.js';

const erasureCodec = familyCodec(erasureFamily);
const holdCodec = familyCodec(legalHoldFamily);

/** The organisation system actions are recorded under (the retention job, in-process confirmations). */
export const SYSTEM_ORG_ID = '00000000-0000-0000-0000-000000000000';

/** The envelope of an action the system takes on its own: `system:retention`, `system:care`. */
export function systemContext(userId: string, now: Date, correlationId: string): CommandContext {
  return {
    actor: { userId, role: 'admin', orgId: SYSTEM_ORG_ID },
    correlationId,
    causationId: correlationId,
    now,
  };
}

export interface ErasureWorkflowDeps {
  readonly store: EventStore;
  readonly keys: KeyStore;
  readonly ledger: LiveView<ErasureLedger>;
  readonly services: readonly ErasureService[];
  readonly newId: () => string;
}

export interface ErasureRequestInput {
  readonly personId: string;
  readonly reasonCode: ErasureReasonCode;
  /** Undefined: every category. */
  readonly categories: readonly Category[] | undefined;
  readonly origin: 'dpo' | 'retention';
}

/**
 * The erasure workflow: each step is a command on the request's stream, decided by the pure
 * decider; the one step with an effect outside the store (destroying keys) runs only once every
 * service confirmed and no hold covers the request, and is idempotent, so a step interrupted by a
 * crash is simply run again (`advance`).
 */
export class ErasureWorkflow {
  constructor(private readonly deps: ErasureWorkflowDeps) {}

  async holdsOf(personId: string): Promise<ActiveHold[]> {
    const { state } = await readState(
      this.deps.store,
      erasureStreams.legalHolds(personId),
      legalHoldDecider,
      holdCodec,
    );
    return activeHolds(state);
  }

  async placeHold(
    personId: string,
    hold: { readonly basis: LegalHoldBasis; readonly categories: readonly Category[] },
    context: CommandContext,
  ): Promise<{ holdId: string; revision: number }> {
    const holdId = this.deps.newId();
    const result = await handleCommand({
      store: this.deps.store,
      stream: erasureStreams.legalHolds(personId),
      decider: legalHoldDecider,
      codec: holdCodec,
      command: { type: 'PlaceLegalHold', holdId, personId, ...hold },
      context,
      newEventId: this.deps.newId,
    });
    return { holdId, revision: result.revision ?? 0 };
  }

  async liftHold(
    personId: string,
    holdId: string,
    reasonCode: (typeof LEGAL_HOLD_LIFT_REASONS)[number],
    context: CommandContext,
  ): Promise<number> {
    const result = await handleCommand({
      store: this.deps.store,
      stream: erasureStreams.legalHolds(personId),
      decider: legalHoldDecider,
      codec: holdCodec,
      command: { type: 'LiftLegalHold', holdId, personId, reasonCode },
      context,
      newEventId: this.deps.newId,
    });
    return result.revision ?? 0;
  }

  /** Records the request; throws ERASURE_UNDER_LEGAL_HOLD (after recording it blocked) under a hold. */
  async request(
    input: ErasureRequestInput,
    context: CommandContext,
  ): Promise<{ requestId: string; state: ErasureState }> {
    const requestId = this.deps.newId();
    const categories = input.categories ? [...new Set(input.categories)] : [...CATEGORIES];
    const result = await handleCommand({
      store: this.deps.store,
      stream: erasureStreams.request(requestId),
      decider: erasureDecider,
      codec: erasureCodec,
      command: {
        type: 'RequestErasure',
        request: {
          requestId,
          personId: input.personId,
          reasonCode: input.reasonCode,
          scope: input.categories ? 'categories' : 'all',
          categories,
          services: [...this.deps.services],
          origin: input.origin,
        },
        holds: await this.holdsOf(input.personId),
      },
      context,
      newEventId: this.deps.newId,
    });
    if (result.state.status === 'blocked') throw underHold(requestId, result.state.blockedBy);
    return { requestId, state: result.state };
  }

  async resume(requestId: string, context: CommandContext): Promise<ErasureState> {
    const current = await this.state(requestId);
    const holds = current.status === 'none' ? [] : await this.holdsOf(current.request.personId);
    await this.handle(requestId, { type: 'ResumeErasure', holds }, context);
    return this.advance(requestId, context);
  }

  async confirm(
    requestId: string,
    service: ErasureService,
    report: PurgeReport,
    context: CommandContext,
  ): Promise<ErasureState> {
    await this.handle(
      requestId,
      { type: 'ConfirmErasure', confirmation: { service, ...report } },
      context,
    );
    return this.advance(requestId, context);
  }

  /** Takes the next step if it is the workflow's own: checks the holds again, destroys the keys. */
  async advance(requestId: string, context: CommandContext): Promise<ErasureState> {
    const current = await this.state(requestId);
    if (current.status === 'none' || nextStep(current).kind !== 'destroy_keys') return current;
    const { personId, categories } = current.request;
    const checked = await this.handle(
      requestId,
      { type: 'CheckHolds', holds: await this.holdsOf(personId) },
      context,
    );
    if (checked.status !== 'awaiting_confirmations') return checked;
    // Idempotent: after a crash here, the same call returns the entries logged the first time.
    const destructions = await this.deps.keys.destroy(
      personId,
      categories,
      `erasure-request ${requestId}`,
    );
    return this.handle(
      requestId,
      {
        type: 'RecordKeysDestroyed',
        destructions: destructions.map(({ category, destroyedAt, reason }) => ({
          category,
          destroyedAt,
          reason,
        })),
      },
      context,
    );
  }

  async state(requestId: string): Promise<ErasureState> {
    const { state } = await readState(
      this.deps.store,
      erasureStreams.request(requestId),
      erasureDecider,
      erasureCodec,
    );
    return state;
  }

  /** The requests that wait for `service`'s confirmation. */
  async pending(service: ErasureService): Promise<PendingErasure[]> {
    const ledger = await this.deps.ledger.current();
    return [...ledger.requests.values()].flatMap((state) =>
      state.status === 'awaiting_confirmations' && unconfirmed(state).includes(service)
        ? [
            {
              requestId: state.request.requestId,
              personId: state.request.personId,
              categories: state.request.categories,
            },
          ]
        : [],
    );
  }

  /** Requests every service confirmed whose keys are not destroyed yet (a step cut short). */
  async readyToDestroy(): Promise<string[]> {
    const ledger = await this.deps.ledger.current();
    return [...ledger.requests.values()].flatMap((state) =>
      state.status !== 'none' && nextStep(state).kind === 'destroy_keys'
        ? [state.request.requestId]
        : [],
    );
  }

  private async handle(
    requestId: string,
    command: Parameters<typeof erasureDecider.decide>[0],
    context: CommandContext,
  ): Promise<ErasureState> {
    const result = await handleCommand({
      store: this.deps.store,
      stream: erasureStreams.request(requestId),
      decider: erasureDecider,
      codec: erasureCodec,
      command,
      context,
      newEventId: this.deps.newId,
    });
    return result.state;
  }
}
