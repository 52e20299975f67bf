import { organisationFamily, type EventData } from '@waypoint/contracts';
import { LiveView, type EventStore } from '@waypoint/eventstore';
import { categories } from '../streams.js';

export type Organisation = EventData<'OrganisationRegistered'>;

/** The organisations directory: referral targets, as registered. */
export function organisationDirectory(store: EventStore): LiveView<Map<string, Organisation>> {
  return new LiveView(
    store,
    { categories: [categories.organisation] },
    new Map<string, Organisation>(),
    (model, recorded) => {
      const event = organisationFamily.decode(recorded);
      model.set(event.data.orgId, event.data);
    },
  );
}
