import { erasureFamily, type ErasureEvent } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { z } from 'zod';
import { erasureDecider } from './domain/erasure-request/erasure-decider.js';
import { nextStep } from './domain/erasure-request/next-step.js';

const step = z.object({
  type: z.string(),
  recordedAt: z.string(),
  actor: z.object({ userId: z.string(), role: z.string() }),
});

/** What `GET /erasure-requests/:requestId` answers: codes, ids and times, never personal data. */
export const erasureViewSchema = z.object({
  requestId: z.uuid(),
  personId: z.uuid(),
  status: z.enum(['awaiting_confirmations', 'blocked', 'keys_destroyed', 'completed']),
  reasonCode: z.string(),
  origin: z.enum(['dpo', 'retention']),
  scope: z.enum(['all', 'categories']),
  categories: z.array(z.string()),
  services: z.array(
    z.object({
      service: z.string(),
      confirmed: z.boolean(),
      outcome: z.string().optional(),
      cacheEntriesEvicted: z.number().int().optional(),
      confirmedAt: z.string().optional(),
    }),
  ),
  waitingFor: z.array(z.string()),
  blockedBy: z.array(
    z.object({ holdId: z.uuid(), basis: z.string(), categories: z.array(z.string()) }),
  ),
  keysDestroyed: z.array(z.object({ category: z.string(), destroyedAt: z.string() })),
  /**
   * Whether the person's blind-index entries were taken out of search and duplicate detection
   * (identity erased); absent while the request is not completed.
   */
  searchIndexRemoved: z.boolean().optional(),
  history: z.array(step),
});
export type ErasureView = z.infer<typeof erasureViewSchema>;

/** The request's status and every step it took, from its stream; undefined for no stream. */
export function erasureView(recorded: readonly RecordedEvent[]): ErasureView | undefined {
  const events: { recorded: RecordedEvent; event: ErasureEvent }[] = recorded.map((item) => ({
    recorded: item,
    event: erasureFamily.decode(item),
  }));
  const state = events.reduce(
    (current, { event }) => erasureDecider.evolve(current, event),
    erasureDecider.initialState(),
  );
  if (state.status === 'none') return undefined;
  const confirmedAt = new Map<string, string>();
  const keysDestroyed: ErasureView['keysDestroyed'] = [];
  let searchIndexRemoved: boolean | undefined;
  for (const { recorded: item, event } of events) {
    if (event.type === 'ErasureServiceConfirmed')
      confirmedAt.set(event.data.service, item.metadata.recordedAt);
    if (event.type === 'ErasureCompleted')
      searchIndexRemoved =
        event.data.searchIndexRemoved ?? event.data.categories.includes('identity');
    if (event.type === 'PersonKeysDestroyed')
      keysDestroyed.push(
        ...event.data.destructions.map(({ category, destroyedAt }) => ({ category, destroyedAt })),
      );
  }
  const step = nextStep(state);
  return {
    requestId: state.request.requestId,
    personId: state.request.personId,
    status: state.status,
    reasonCode: state.request.reasonCode,
    origin: state.request.origin,
    scope: state.request.scope,
    categories: [...state.request.categories],
    services: state.request.services.map((service) => {
      const confirmation = state.confirmations.find((item) => item.service === service);
      const at = confirmedAt.get(service);
      return confirmation
        ? {
            service,
            confirmed: true,
            outcome: confirmation.outcome,
            cacheEntriesEvicted: confirmation.cacheEntriesEvicted,
            ...(at === undefined ? {} : { confirmedAt: at }),
          }
        : { service, confirmed: false };
    }),
    waitingFor: step.kind === 'wait_for' ? [...step.services] : [],
    blockedBy: state.blockedBy.map((hold) => ({ ...hold, categories: [...hold.categories] })),
    keysDestroyed,
    ...(searchIndexRemoved === undefined ? {} : { searchIndexRemoved }),
    history: events.map(({ recorded: item }) => ({
      type: item.type,
      recordedAt: item.metadata.recordedAt,
      actor: { userId: item.metadata.actor.userId, role: item.metadata.actor.role },
    })),
  };
}
