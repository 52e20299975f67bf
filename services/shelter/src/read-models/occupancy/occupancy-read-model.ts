import type { SqlDatabase } from '@waypoint/projections';
import { iso } from '@waypoint/projections';

export interface ShelterOccupancy {
  readonly shelterId: string;
  readonly name: string;
  readonly operatorOrgId: string;
  readonly type: string;
  readonly capacity: number;
  readonly occupied: number;
  /** Places left; never below 0 (a supervisor may override a full shelter). */
  readonly free: number;
  readonly closed: boolean;
  readonly admissions: number;
  readonly transfersIn: number;
  readonly transfersOut: number;
  readonly exits: number;
  /** The latest placement movement or registry change. */
  readonly lastChangeAt: string;
}

export interface Resident {
  readonly journeyId: string;
  readonly placementId: string;
  readonly since: string;
}

interface ShelterRow {
  shelter_id: string;
  name: string;
  operator_org_id: string;
  shelter_type: string;
  capacity: number;
  occupied: number;
  closed: boolean;
  admissions: number;
  transfers_in: number;
  transfers_out: number;
  exits: number;
  last_change_at: Date | string;
  [column: string]: unknown;
}

const COLUMNS = `shelter_id, name, operator_org_id, shelter_type, capacity, occupied, closed,
  admissions, transfers_in, transfers_out, exits,
  GREATEST(last_movement_at, registry_changed_at) AS last_change_at`;

const occupancyOf = (row: ShelterRow): ShelterOccupancy => ({
  shelterId: row.shelter_id,
  name: row.name,
  operatorOrgId: row.operator_org_id,
  type: row.shelter_type,
  capacity: row.capacity,
  occupied: row.occupied,
  free: Math.max(0, row.capacity - row.occupied),
  closed: row.closed,
  admissions: row.admissions,
  transfersIn: row.transfers_in,
  transfersOut: row.transfers_out,
  exits: row.exits,
  lastChangeAt: iso(row.last_change_at),
});

/** Queries over the shelter occupancy read model; the serving schema is asked for each time. */
export class ShelterOccupancyReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly schema: () => Promise<string>,
  ) {}

  /** Every registered shelter, by name; closed ones only when asked. */
  async shelters(options: { includeClosed: boolean }): Promise<ShelterOccupancy[]> {
    const schema = await this.schema();
    const { rows } = await this.db.query<ShelterRow>(
      `SELECT ${COLUMNS} FROM ${schema}.shelters
        WHERE registered_at IS NOT NULL AND ($1::boolean OR NOT closed)
        ORDER BY name, shelter_id`,
      [options.includeClosed],
    );
    return rows.map(occupancyOf);
  }

  async shelter(shelterId: string): Promise<ShelterOccupancy | undefined> {
    const schema = await this.schema();
    const { rows } = await this.db.query<ShelterRow>(
      `SELECT ${COLUMNS} FROM ${schema}.shelters
        WHERE shelter_id = $1 AND registered_at IS NOT NULL`,
      [shelterId],
    );
    const row = rows[0];
    return row ? occupancyOf(row) : undefined;
  }

  /** The journeys placed in a shelter now, longest first. */
  async residents(shelterId: string): Promise<Resident[]> {
    const schema = await this.schema();
    const { rows } = await this.db.query<{
      journey_id: string;
      placement_id: string;
      since: Date | string;
    }>(
      `SELECT journey_id, placement_id, since FROM ${schema}.placements
        WHERE shelter_id = $1 ORDER BY since, journey_id`,
      [shelterId],
    );
    return rows.map((row) => ({
      journeyId: row.journey_id,
      placementId: row.placement_id,
      since: iso(row.since),
    }));
  }
}
