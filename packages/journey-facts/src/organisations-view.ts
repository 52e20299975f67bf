import { organisationFamily } from '@waypoint/contracts';
import { LiveView, type EventStore } from '@waypoint/eventstore';

/**
 * The ids of the organisations in the directory, for a service that must refuse a token naming
 * an organisation the directory does not hold: a fold of the directory's events (`organisation-`
 * streams, written by the identification service), fed by a catch-up subscription.
 */
export function knownOrganisationsView(store: EventStore): LiveView<Set<string>> {
  return new LiveView(
    store,
    { categories: ['organisation'] },
    new Set<string>(),
    (model, recorded) => {
      // The family's one event type: every event registers an organisation.
      model.add(organisationFamily.decode(recorded).data.orgId);
    },
  );
}
