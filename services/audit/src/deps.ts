import type { EventStore, LiveView } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { EventCipher } from '@waypoint/privacy';
import type { SqlDatabase } from '@waypoint/projections';
import type { DigestKeys, DigestLog } from './integrity/digests.js';
import type { JurisdictionProfile } from './rules/jurisdiction-profile.js';

/** The read models: the projection engine in the service, anything equivalent in a spec. */
export interface ReadModels {
  readonly db: SqlDatabase;
  /** The quoted schema of a projection's active generation. */
  schemaOf(name: string): Promise<string>;
}

/** Everything the audit routes use: passed in, so specs build the app with what they choose. */
export interface AuditDeps {
  readonly store: EventStore;
  readonly cipher: EventCipher;
  /** Every journey's identification facts (who sees it, its person, its organisation). */
  readonly journeys: LiveView<Map<string, OpenJourney>>;
  readonly readModels: ReadModels;
  readonly profiles: readonly JurisdictionProfile[];
  readonly digests: { readonly log: DigestLog; readonly keys: DigestKeys };
  /** How often findings are re-evaluated against the clock and digests published; 0 for never. */
  readonly sweepIntervalMs: number;
  readonly digestIntervalMs: number;
  readonly now: () => Date;
  readonly newId: () => string;
}
