import { accessFamily } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { mandateOrgIds, type Grants, type Viewer } from '@waypoint/journey-facts';
import { streams } from '../streams.js';

/** Whether the user holds an unexpired break-glass on the journey. */
export async function hasBreakGlass(
  store: EventStore,
  journeyId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  for await (const recorded of store.readStream(streams.breakGlass(journeyId), {
    direction: 'backwards',
  })) {
    const event = accessFamily.decode(recorded);
    if (
      event.type === 'BreakGlassAccessed' &&
      event.data.userId === userId &&
      at < event.data.expiresAt
    )
      return true;
  }
  return false;
}

/** Everything outside the journey that can let this viewer see it. */
export async function grantsFor(
  store: EventStore,
  viewer: Viewer,
  journeyId: string,
  now: Date,
): Promise<Grants & { breakGlass: boolean }> {
  const [mandates, breakGlass] = await Promise.all([
    viewer.roles.includes('auditor')
      ? mandateOrgIds(store, viewer.userId, now)
      : Promise.resolve(new Set<string>()),
    hasBreakGlass(store, journeyId, viewer.userId, now),
  ]);
  return {
    mandateOrgIds: mandates,
    breakGlassJourneyIds: breakGlass ? new Set([journeyId]) : new Set(),
    breakGlass,
  };
}
