import { eventTypeFilter, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { ReadAllFilter } from '../types.js';
import type { StreamNaming } from './stream-naming.js';

/**
 * The server-side filter of a `$all` subscription for a `readAll` filter. The server filters on
 * one field only: categories become stream-name prefixes (the more selective of the two, and
 * event types are checked again on read); event types alone become an exact-match expression;
 * no filter becomes "this store's streams", which leaves out system events (`$…` streams) and
 * event-id claims.
 */
export function serverFilterOf(naming: StreamNaming, filter: ReadAllFilter | undefined): Filter {
  if (filter?.categories && filter.categories.length > 0) {
    return streamNameFilter({
      prefixes: filter.categories.map((category) => naming.categoryPrefix(category)),
    });
  }
  if (filter?.eventTypes && filter.eventTypes.length > 0) {
    return eventTypeFilter({
      regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`,
    });
  }
  return streamNameFilter({ regex: naming.streamsRegex() });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
