import { InvalidInputError } from '../errors.js';
import { assertStreamName } from '../stream-name.js';

const PREFIX = /^(?:[a-z][a-z0-9_]{0,39}\.)?$/;

/**
 * How the store's streams are named on the server. An optional prefix (`tenant.`) lets several
 * deployments, or test runs, share one KurrentDB; the hash chain covers the Waypoint name, not the
 * server's. Event-id claims live in `_wp_eventid-<id>` streams, which no Waypoint stream name can
 * look like (those start with a lowercase letter), and system streams start with `$`.
 */
export class StreamNaming {
  constructor(readonly prefix = '') {
    if (!PREFIX.test(prefix)) {
      throw new InvalidInputError(
        'INVALID_STREAM_NAME',
        'streamPrefix',
        'streamPrefix must be empty or a lowercase word followed by a dot (tenant.)',
      );
    }
  }

  toServer(stream: string): string {
    return `${this.prefix}${stream}`;
  }

  /** The Waypoint name of a server stream, or null when the stream is not one of this store's. */
  fromServer(name: string): string | null {
    if (!name.startsWith(this.prefix)) return null;
    const stream = name.slice(this.prefix.length);
    try {
      assertStreamName(stream);
      return stream;
    } catch {
      return null;
    }
  }

  /** The stream that records which Waypoint stream and revision an event id was given to. */
  claimStream(eventId: string): string {
    return `${this.prefix}_wp_eventid-${eventId}`;
  }

  /** A server-side prefix for a category: `access` matches `access-journey-…` too. */
  categoryPrefix(category: string): string {
    return `${this.prefix}${category}-`;
  }

  /** A regular expression (server syntax, .NET) for every stream of this store. */
  streamsRegex(): string {
    return `^${this.prefix.replace('.', '\\.')}[a-z]`;
  }
}
