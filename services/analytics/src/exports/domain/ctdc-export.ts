import { csvDocument } from '@waypoint/service-kit';
import type { JourneyFacts } from '../../facts/domain/journey-facts.js';
import { quarterOf, yearOf } from '../../indicators/domain/cohort.js';

/**
 * A CTDC-shaped row per journey (Counter Trafficking Data Collaborative global dataset columns),
 * made k-anonymous over its quasi-identifiers by generalising, then suppressing.
 */
export const QUASI_IDENTIFIERS = [
  'yearOfRegistration',
  'quarterOfRegistration',
  'gender',
  'ageBroad',
  'majorityStatus',
  'citizenship',
  'typeOfExploitation',
] as const;
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

export const ATTRIBUTES = [
  'Datasource',
  'reasonableGrounds',
  'conclusiveStatus',
  'assisted',
  'shelterAdmitted',
  'reflectionPeriodGranted',
  'returned',
  'reTraffickingReported',
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export type CtdcRow = Readonly<Record<QuasiIdentifier | Attribute, string>>;
export const CTDC_COLUMNS: readonly (QuasiIdentifier | Attribute)[] = [
  ...QUASI_IDENTIFIERS,
  ...ATTRIBUTES,
];

const GENDER: Readonly<Record<string, string>> = {
  Feminine: 'Female',
  Masculine: 'Male',
  TransgenderFeminine: 'TransgenderOrNonConforming',
  TransgenderMasculine: 'TransgenderOrNonConforming',
  NonConforming: 'TransgenderOrNonConforming',
  NonSpecifiedUnknown: 'Unknown',
};
const LABOUR = new Set(['ForcedLabour', 'ChildLabour', 'ForcedBegging', 'Servitude']);

/** CTDC's exploitation typology: sexual, labour, both, other, unknown. */
function typeOfExploitation(types: readonly string[]): string {
  const sexual = types.includes('SexualExploitation');
  const labour = types.some((type) => LABOUR.has(type));
  if (sexual && labour) return 'SexAndLabour';
  if (sexual) return 'SexualExploit';
  if (labour) return 'ForcedLabour';
  return types.length > 0 ? 'OtherExploit' : 'Unknown';
}

const flag = (value: boolean): string => (value ? '1' : '0');

/** The finest row: quarter, country and age band, before any generalisation. */
export function ctdcRow(facts: JourneyFacts): CtdcRow {
  const year = yearOf(facts.identifiedAt);
  const band = facts.ageBand;
  return {
    yearOfRegistration: year === null ? 'Unknown' : String(year),
    quarterOfRegistration: year === null ? 'Unknown' : `Q${String(quarterOf(facts.identifiedAt))}`,
    gender: GENDER[facts.gender] ?? 'Other',
    ageBroad: band === 'unknown' ? 'Unknown' : band,
    majorityStatus:
      band === 'unknown' ? (facts.child ? 'Minor' : 'Unknown') : facts.child ? 'Minor' : 'Adult',
    citizenship: facts.citizenship ?? 'Unknown',
    typeOfExploitation: typeOfExploitation(facts.exploitationTypes),
    Datasource: 'Case Management',
    reasonableGrounds: facts.reasonableGroundsOutcome ?? 'none',
    conclusiveStatus: facts.conclusiveStatus ?? 'none',
    assisted: flag(facts.firstServiceAt !== null),
    shelterAdmitted: flag(facts.shelterAdmittedAt !== null),
    reflectionPeriodGranted: flag(facts.reflectionGrantedAt !== null),
    returned: flag(facts.returnDecidedAt !== null || facts.returnExecutedAt !== null),
    reTraffickingReported: flag(facts.reTraffickedAt !== null),
  };
}

/** One step of generalisation, applied to every row (full-domain generalisation). */
interface Step {
  readonly name: string;
  apply(row: CtdcRow, regionOf: (facts: CtdcRow) => string): CtdcRow;
}

const BROAD_AGE: Readonly<Record<string, string>> = {
  '0-8': '0-17',
  '9-17': '0-17',
  '18-20': '18-29',
  '21-23': '18-29',
  '24-26': '18-29',
  '27-29': '18-29',
  '30-38': '30+',
  '39-47': '30+',
  '48+': '30+',
};

/** The generalisation ladder: each level coarser than the one before. */
const LADDER: readonly Step[] = [
  { name: 'quarter_to_year', apply: (row) => ({ ...row, quarterOfRegistration: '' }) },
  { name: 'country_to_region', apply: (row, regionOf) => ({ ...row, citizenship: regionOf(row) }) },
  {
    name: 'age_to_broad_band',
    apply: (row) => ({ ...row, ageBroad: BROAD_AGE[row.ageBroad] ?? row.ageBroad }),
  },
  { name: 'age_to_majority', apply: (row) => ({ ...row, ageBroad: '' }) },
  {
    name: 'exploitation_to_binary',
    apply: (row) => ({
      ...row,
      typeOfExploitation:
        row.typeOfExploitation === 'SexualExploit' || row.typeOfExploitation === 'SexAndLabour'
          ? 'SexualExploit'
          : 'NotSexualExploit',
    }),
  },
];

const classKey = (row: CtdcRow): string =>
  QUASI_IDENTIFIERS.map((column) => row[column]).join('\u0000');

/**
 * The quasi-identifiers whose rare values may become "Other" once `applied` steps are done: a
 * column with a coarser level still to come (quarter, country, age band) is generalised along its
 * hierarchy first, which keeps more meaning than "Other".
 */
function groupable(applied: ReadonlySet<string>): QuasiIdentifier[] {
  return QUASI_IDENTIFIERS.filter((column) => {
    if (column === 'quarterOfRegistration') return false;
    if (column === 'citizenship') return applied.has('country_to_region');
    if (column === 'ageBroad') return applied.has('age_to_broad_band');
    return true;
  });
}

/** Values of a quasi-identifier held by fewer than k rows become "Other". */
function groupRareValues(
  rows: readonly CtdcRow[],
  k: number,
  columns: readonly QuasiIdentifier[],
): CtdcRow[] {
  let result = [...rows];
  for (const column of columns) {
    const counts = new Map<string, number>();
    for (const row of result) counts.set(row[column], (counts.get(row[column]) ?? 0) + 1);
    result = result.map((row) =>
      (counts.get(row[column]) ?? 0) < k && row[column] !== ''
        ? { ...row, [column]: 'Other' }
        : row,
    );
  }
  return result;
}

function smallClassRows(rows: readonly CtdcRow[], k: number): number {
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(classKey(row), (sizes.get(classKey(row)) ?? 0) + 1);
  return rows.filter((row) => (sizes.get(classKey(row)) ?? 0) < k).length;
}

export interface AnonymisedExport {
  readonly rows: CtdcRow[];
  /** The generalisation steps applied, in order. */
  readonly generalisation: string[];
  /** Rows left out because their class stayed smaller than k. */
  readonly suppressed: number;
}

export interface AnonymiseOptions {
  readonly k: number;
  /** Generalise further while more than this share of rows would have to be suppressed. */
  readonly maxSuppressedShare: number;
}

/**
 * k-anonymity by generalisation then suppression. Starting from the finest rows, rare values are
 * grouped into "Other"; while more than `maxSuppressedShare` of the rows would sit in classes
 * smaller than k, the next step of the ladder coarsens every row (quarter to year, country to
 * region, age band to broad band to majority, exploitation to sexual or not). The rows of the
 * classes still smaller than k are then suppressed, so every published class has at least k rows.
 */
export function anonymise(
  facts: readonly JourneyFacts[],
  regionOf: (country: string) => string,
  options: AnonymiseOptions,
): AnonymisedExport {
  const region = (row: CtdcRow): string =>
    row.citizenship === 'Unknown' || row.citizenship === 'Other'
      ? row.citizenship
      : regionOf(row.citizenship);
  const applied: string[] = [];
  const finest = facts.map(ctdcRow);
  let rows = groupRareValues(finest, options.k, groupable(new Set()));
  for (const step of LADDER) {
    if (smallClassRows(rows, options.k) <= options.maxSuppressedShare * rows.length) break;
    applied.push(step.name);
    // Each level starts again from the finest rows, so "Other" of one level never hides a value
    // the next level could have generalised along its hierarchy.
    const generalised = finest.map((row) =>
      LADDER.filter((candidate) => applied.includes(candidate.name)).reduce(
        (current, candidate) => candidate.apply(current, region),
        row,
      ),
    );
    rows = groupRareValues(generalised, options.k, groupable(new Set(applied)));
  }
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(classKey(row), (sizes.get(classKey(row)) ?? 0) + 1);
  // Sorted, so that the order of the rows says nothing about the order journeys were recorded in.
  const kept = rows
    .filter((row) => (sizes.get(classKey(row)) ?? 0) >= options.k)
    .map((row) => ({
      row,
      key: `${classKey(row)}\u0000${ATTRIBUTES.map((a) => row[a]).join('\u0000')}`,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ row }) => row);
  return { rows: kept, generalisation: applied, suppressed: rows.length - kept.length };
}

/** The rows as a CSV file, in the columns' order (see `csvDocument` for quoting and formulas). */
export function toCsv(rows: readonly CtdcRow[]): string {
  return csvDocument(
    CTDC_COLUMNS,
    rows.map((row) => CTDC_COLUMNS.map((column) => row[column])),
  );
}
