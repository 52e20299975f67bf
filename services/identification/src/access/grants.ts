import { accessFamily, grantFamily } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import type { Grants, Viewer } from '@waypoint/journey-facts';
import { streams } from '../streams.js';

/** The auditor mandates in force for a user at `now`, read from their grant stream. */
export async function mandateOrgIds(
  store: EventStore,
  userId: string,
  now: Date,
): Promise<Set<string>> {
  const mandates = new Map<string, { orgIds: string[]; from: string; until: string }>();
  for await (const recorded of store.readStream(streams.grants(userId))) {
    const event = grantFamily.decode(recorded);
    if (event.type === 'AuditorMandateGranted') mandates.set(event.data.mandateId, event.data);
    else mandates.delete(event.data.mandateId);
  }
  const at = now.toISOString();
  return new Set(
    [...mandates.values()]
      .filter((mandate) => mandate.from <= at && at < mandate.until)
      .flatMap((mandate) => mandate.orgIds),
  );
}

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
