import { legalFamily } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient } from '@waypoint/projections';
import { categories } from '../../streams.js';
import { applyJourneyFold, setupJourneyFold, journeyFoldOf } from '@waypoint/projections';
import {
  currentPeriod,
  evolveStatus,
  noStatus,
  statusCodes,
  type LegalStatus,
} from './domain/status.js';

export const LEGAL_STATUS_PROJECTION = 'legal_status';

const fold = journeyFoldOf({
  category: categories.legal,
  decode: (event) => legalFamily.decode(event),
  codes: statusCodes,
  initial: noStatus,
  evolve: evolveStatus,
});

/**
 * Each journey's legal status: the reflection period that counts now (its days, whether it ended
 * and why), removal orders not enforced, detention, the residence permit decision. Codes and days
 * only: references, notes, places and names stay out. `status` holds one row per journey with
 * the columns lists filter on.
 */
export function legalStatusProjection(): Projection {
  return {
    name: LEGAL_STATUS_PROJECTION,
    version: 1,
    filter: { categories: [categories.legal] },
    async setup(tx: SqlClient, schema: string) {
      await setupJourneyFold(tx, schema);
      await tx.query(`CREATE TABLE ${schema}.status (
        journey_id uuid PRIMARY KEY,
        period_id uuid,
        period_start date,
        period_end date,
        period_days integer,
        period_ended_on date,
        period_end_reason text,
        pending_removal_orders integer NOT NULL,
        open_detentions integer NOT NULL,
        residence_permit text,
        residence_permit_valid_until date)`);
      await tx.query(
        `CREATE INDEX status_by_period_end ON ${schema}.status (period_end, journey_id)
          WHERE period_ended_on IS NULL`,
      );
    },
    async apply(tx: SqlClient, events: readonly RecordedEvent[], schema: string) {
      const states = [...(await applyJourneyFold(tx, schema, fold, events)).values()];
      if (states.length === 0) return;
      await tx.query(
        `INSERT INTO ${schema}.status AS s (journey_id, period_id, period_start, period_end,
           period_days, period_ended_on, period_end_reason, pending_removal_orders,
           open_detentions, residence_permit, residence_permit_valid_until)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, period_id uuid,
                period_start date, period_end date, period_days integer, period_ended_on date,
                period_end_reason text, pending_removal_orders integer, open_detentions integer,
                residence_permit text, residence_permit_valid_until date)
         ON CONFLICT (journey_id) DO UPDATE SET period_id = EXCLUDED.period_id,
           period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
           period_days = EXCLUDED.period_days, period_ended_on = EXCLUDED.period_ended_on,
           period_end_reason = EXCLUDED.period_end_reason,
           pending_removal_orders = EXCLUDED.pending_removal_orders,
           open_detentions = EXCLUDED.open_detentions,
           residence_permit = EXCLUDED.residence_permit,
           residence_permit_valid_until = EXCLUDED.residence_permit_valid_until`,
        [JSON.stringify(states.map(statusRow))],
      );
    },
  };
}

function statusRow(status: LegalStatus) {
  const period = currentPeriod(status);
  return {
    journey_id: status.journeyId,
    period_id: period?.periodId ?? null,
    period_start: period?.start ?? null,
    period_end: period?.end ?? null,
    period_days: period?.days ?? null,
    period_ended_on: period?.endedOn ?? null,
    period_end_reason: period?.endReason ?? null,
    pending_removal_orders: status.removalOrders.filter((order) => !order.enforced).length,
    open_detentions: status.detentions.filter((detention) => detention.endedOn === null).length,
    residence_permit: status.residencePermit?.outcome ?? null,
    residence_permit_valid_until: status.residencePermit?.validUntil ?? null,
  };
}
