import { ageBand, exploitationType, gender } from '@waypoint/contracts';
import { z } from 'zod';
import { CITIZENSHIP_REGIONS } from '../facts/domain/regions.js';
import type { CohortFilter } from '../indicators/domain/cohort.js';

const year = z.coerce.number().int().min(1990).max(2100);

/**
 * The cohort filters every aggregate route takes, as query parameters. Unknown parameters are
 * refused, so a misspelt filter is a 400 naming it rather than a silently wider cohort.
 */
export const filterQuery = z
  .strictObject({
    fromYear: year.optional(),
    toYear: year.optional(),
    quarter: z.coerce.number().int().min(1).max(4).optional(),
    gender: gender.optional(),
    ageBand: ageBand.optional(),
    child: z.enum(['true', 'false']).optional(),
    exploitationType: exploitationType.optional(),
    citizenshipRegion: z.enum(CITIZENSHIP_REGIONS).optional(),
    organisationId: z.uuid().optional(),
  })
  .refine(
    (query) =>
      query.fromYear === undefined || query.toYear === undefined || query.fromYear <= query.toYear,
    { error: 'toYear is before fromYear', path: ['toYear'] },
  );
export type FilterQuery = z.infer<typeof filterQuery>;

export function cohortFilterOf(query: FilterQuery): CohortFilter {
  const { child, quarter, ...rest } = query;
  return {
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
    ...(child === undefined ? {} : { child: child === 'true' }),
    ...(quarter === undefined ? {} : { quarter: quarter as 1 | 2 | 3 | 4 }),
  };
}
