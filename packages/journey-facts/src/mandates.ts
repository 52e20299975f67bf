import { createHash } from 'node:crypto';
import { grantFamily } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';

/**
 * A user's grant stream, where identification records auditor mandates and audit reads them. User
 * ids come from tokens and may hold any character: the stream is named by a digest.
 */
export const grantStream = (userId: string): string =>
  `grant-${createHash('sha256').update(userId).digest('base64url').slice(0, 32)}`;

/**
 * The organisations whose journeys a user's auditor mandates cover at `now`, read from their
 * grant stream. The bounds compare as instants, whatever precision each was written with
 * (as text, `10:00:00Z` sorts after `10:00:00.500Z`).
 */
export async function mandateOrgIds(
  store: EventStore,
  userId: string,
  now: Date,
): Promise<Set<string>> {
  const mandates = new Map<string, { orgIds: string[]; from: string; until: string }>();
  for await (const recorded of store.readStream(grantStream(userId))) {
    const event = grantFamily.decode(recorded);
    if (event.type === 'AuditorMandateGranted') mandates.set(event.data.mandateId, event.data);
    else mandates.delete(event.data.mandateId);
  }
  const at = now.getTime();
  return new Set(
    [...mandates.values()]
      .filter((mandate) => Date.parse(mandate.from) <= at && at < Date.parse(mandate.until))
      .flatMap((mandate) => mandate.orgIds),
  );
}
