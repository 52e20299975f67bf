import { erasureFamily } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import type { KeyDestruction, KeyStore } from '@waypoint/privacy';
import { erasureCategories } from './streams.js';

/**
 * Run at start, before serving: destroys again every key that an erasure destroyed, as recorded in
 * the `PersonKeysDestroyed` events. The event store is the copy of the destruction log that lives
 * outside the key store's backups: a key store restored from a backup taken before an erasure
 * would otherwise bring the person's data back. Idempotent; returns how many keys it destroyed
 * (0 unless the key store was restored).
 */
export async function reapplyErasures(store: EventStore, keys: KeyStore): Promise<number> {
  const log: KeyDestruction[] = [];
  for await (const recorded of store.readAll({
    filter: { categories: [erasureCategories.request], eventTypes: ['PersonKeysDestroyed'] },
  })) {
    const event = erasureFamily.decode(recorded);
    if (event.type !== 'PersonKeysDestroyed') continue;
    for (const entry of event.data.destructions) {
      // The sequence number is the restored store's to assign: applyDestructions ignores it.
      log.push({ seq: 0, subject: event.data.personId, ...entry });
    }
  }
  return log.length === 0 ? 0 : keys.applyDestructions(log);
}
