import type { EventStore } from '@waypoint/eventstore';
import { EsdbEventStore } from '@waypoint/eventstore/esdb';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';

/** The store EVENT_STORE_URL names: PostgreSQL (postgres://) or KurrentDB (esdb://, esdb+discover://). */
export async function openEventStore(
  url: string,
  options: { readonly poolSize?: number } = {},
): Promise<EventStore> {
  if (/^esdb(?:\+discover)?:\/\//.test(url)) return EsdbEventStore.open({ connectionString: url });
  if (/^postgres(?:ql)?:\/\//.test(url))
    return PostgresEventStore.open({
      connectionString: url,
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    });
  throw new Error('EVENT_STORE_URL must be a postgres://, esdb:// or esdb+discover:// URL');
}
