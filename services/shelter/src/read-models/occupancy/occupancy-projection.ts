import { shelterFamily, shelterRegistryFamily } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient } from '@waypoint/projections';
import { categories, idOf } from '../../streams.js';
import { applyJourneyFold, setupJourneyFold, journeyFoldOf } from '@waypoint/projections';
import {
  evolveOccupancy,
  noOccupancy,
  occupancyCodes,
  registryChanges,
  type JourneyOccupancy,
} from './domain/occupancy.js';

export const SHELTER_OCCUPANCY_PROJECTION = 'shelter_occupancy';

const placements = journeyFoldOf({
  category: categories.journey,
  decode: (event) => shelterFamily.decode(event),
  codes: occupancyCodes,
  initial: noOccupancy,
  evolve: evolveOccupancy,
});

/**
 * Occupancy per shelter (capacity from the registry; places taken, admissions, transfers and
 * exits from every journey's placements) and where each journey is placed now. Codes, counts and
 * dates only: the registry's address and every placement's notes stay out.
 */
export function shelterOccupancyProjection(): Projection {
  return {
    name: SHELTER_OCCUPANCY_PROJECTION,
    version: 1,
    filter: { categories: [categories.journey, categories.registry] },
    async setup(tx: SqlClient, schema: string) {
      await setupJourneyFold(tx, schema);
      await tx.query(`CREATE TABLE ${schema}.shelters (
        shelter_id uuid PRIMARY KEY,
        name text,
        operator_org_id uuid,
        shelter_type text,
        capacity integer,
        closed boolean NOT NULL DEFAULT false,
        registered_at timestamptz,
        registry_changed_at timestamptz,
        occupied integer NOT NULL DEFAULT 0,
        admissions integer NOT NULL DEFAULT 0,
        transfers_in integer NOT NULL DEFAULT 0,
        transfers_out integer NOT NULL DEFAULT 0,
        exits integer NOT NULL DEFAULT 0,
        last_movement_at timestamptz)`);
      await tx.query(`CREATE TABLE ${schema}.placements (
        journey_id uuid PRIMARY KEY,
        shelter_id uuid NOT NULL,
        placement_id uuid NOT NULL,
        since timestamptz NOT NULL)`);
      await tx.query(`CREATE INDEX placements_by_shelter ON ${schema}.placements (shelter_id)`);
      await tx.query(`CREATE TABLE ${schema}.movements (
        journey_id uuid NOT NULL,
        shelter_id uuid NOT NULL,
        admissions integer NOT NULL,
        transfers_in integer NOT NULL,
        transfers_out integer NOT NULL,
        exits integer NOT NULL,
        last_movement_at timestamptz NOT NULL,
        PRIMARY KEY (journey_id, shelter_id))`);
      await tx.query(`CREATE INDEX movements_by_shelter ON ${schema}.movements (shelter_id)`);
    },
    async apply(tx: SqlClient, events: readonly RecordedEvent[], schema: string) {
      await applyRegistry(tx, schema, events);
      const states = await applyJourneyFold(tx, schema, placements, events);
      if (states.size > 0) await applyPlacements(tx, schema, [...states.values()]);
    },
  };
}

async function applyRegistry(
  tx: SqlClient,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const changes = registryChanges(
    events
      .filter((event) => event.stream.startsWith(`${categories.registry}-`))
      .map((event) => ({
        shelterId: idOf(event.stream, categories.registry),
        ...shelterRegistryFamily.decode(event),
        occurredAt: event.metadata.occurredAt,
      })),
  );
  if (changes.length === 0) return;
  await tx.query(
    `INSERT INTO ${schema}.shelters AS s (shelter_id, name, operator_org_id, shelter_type, capacity,
       closed, registered_at, registry_changed_at)
     SELECT "shelterId", name, "operatorOrgId", type, capacity, COALESCE(closed, false),
            "registeredAt", "changedAt"
       FROM jsonb_to_recordset($1::jsonb) AS t("shelterId" uuid, name text, "operatorOrgId" uuid,
            type text, capacity integer, closed boolean, "registeredAt" timestamptz,
            "changedAt" timestamptz)
     ON CONFLICT (shelter_id) DO UPDATE SET
       name = COALESCE(EXCLUDED.name, s.name),
       operator_org_id = COALESCE(EXCLUDED.operator_org_id, s.operator_org_id),
       shelter_type = COALESCE(EXCLUDED.shelter_type, s.shelter_type),
       capacity = COALESCE(EXCLUDED.capacity, s.capacity),
       closed = s.closed OR EXCLUDED.closed,
       registered_at = COALESCE(EXCLUDED.registered_at, s.registered_at),
       registry_changed_at = GREATEST(EXCLUDED.registry_changed_at, s.registry_changed_at)`,
    [JSON.stringify(changes)],
  );
}

/**
 * Writes the placements and movements of the journeys that changed, then counts again the
 * shelters they touched, before and after.
 */
async function applyPlacements(
  tx: SqlClient,
  schema: string,
  states: readonly JourneyOccupancy[],
): Promise<void> {
  const journeyIds = states.map((state) => state.journeyId);
  const { rows: before } = await tx.query<{ shelter_id: string }>(
    `WITH gone_placements AS (
       DELETE FROM ${schema}.placements WHERE journey_id = ANY($1::uuid[]) RETURNING shelter_id),
     gone_movements AS (
       DELETE FROM ${schema}.movements WHERE journey_id = ANY($1::uuid[]) RETURNING shelter_id)
     SELECT shelter_id FROM gone_placements UNION SELECT shelter_id FROM gone_movements`,
    [journeyIds],
  );
  const placed = states.flatMap((state) =>
    state.placement ? [{ journey_id: state.journeyId, ...state.placement }] : [],
  );
  const moved = states.flatMap((state) =>
    state.shelters.map((movements) => ({ journey_id: state.journeyId, ...movements })),
  );
  await tx.query(
    `INSERT INTO ${schema}.placements (journey_id, shelter_id, placement_id, since)
     SELECT journey_id, "shelterId", "placementId", since
       FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, "shelterId" uuid,
            "placementId" uuid, since timestamptz)`,
    [JSON.stringify(placed)],
  );
  await tx.query(
    `INSERT INTO ${schema}.movements (journey_id, shelter_id, admissions, transfers_in,
       transfers_out, exits, last_movement_at)
     SELECT journey_id, "shelterId", admissions, "transfersIn", "transfersOut", exits,
            "lastMovementAt"
       FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, "shelterId" uuid,
            admissions integer, "transfersIn" integer, "transfersOut" integer, exits integer,
            "lastMovementAt" timestamptz)`,
    [JSON.stringify(moved)],
  );
  const touched = [
    ...new Set([
      ...before.map((row) => row.shelter_id),
      ...moved.map((row) => row.shelterId),
      ...placed.map((row) => row.shelterId),
    ]),
  ];
  await tx.query(
    `INSERT INTO ${schema}.shelters AS s (shelter_id, occupied, admissions, transfers_in,
       transfers_out, exits, last_movement_at)
     SELECT t.id,
            (SELECT count(*) FROM ${schema}.placements p WHERE p.shelter_id = t.id),
            COALESCE(m.admissions, 0), COALESCE(m.transfers_in, 0),
            COALESCE(m.transfers_out, 0), COALESCE(m.exits, 0), m.last_movement_at
       FROM unnest($1::uuid[]) AS t(id)
       LEFT JOIN LATERAL (
         SELECT sum(admissions) AS admissions, sum(transfers_in) AS transfers_in,
                sum(transfers_out) AS transfers_out, sum(exits) AS exits,
                max(last_movement_at) AS last_movement_at
           FROM ${schema}.movements WHERE shelter_id = t.id) m ON true
     ON CONFLICT (shelter_id) DO UPDATE SET
       occupied = EXCLUDED.occupied, admissions = EXCLUDED.admissions,
       transfers_in = EXCLUDED.transfers_in, transfers_out = EXCLUDED.transfers_out,
       exits = EXCLUDED.exits, last_movement_at = EXCLUDED.last_movement_at`,
    [touched],
  );
}
