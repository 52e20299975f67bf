import { describe, expect, it } from 'vitest';
import { regionOf } from '../../facts/domain/regions.js';
import { many } from '../../testing/facts-row.js';
import { anonymise, ctdcRow, toCsv } from './ctdc-export.js';

const options = { k: 11, maxSuppressedShare: 0.05 };

describe('a CTDC row', () => {
  it('maps the facts to CTDC columns, with no identifier', () => {
    const [facts] = many(1, {
      identifiedAt: '2024-05-03T00:00:00.000Z',
      exploitationTypes: ['SexualExploitation', 'ForcedLabour'],
      reasonableGroundsOutcome: 'positive',
      shelterAdmittedAt: '2024-05-04T00:00:00.000Z',
    });
    if (!facts) throw new Error('row');
    expect(ctdcRow(facts)).toEqual({
      yearOfRegistration: '2024',
      quarterOfRegistration: 'Q2',
      gender: 'Female',
      ageBroad: '24-26',
      majorityStatus: 'Adult',
      citizenship: 'NG',
      typeOfExploitation: 'SexAndLabour',
      Datasource: 'Case Management',
      reasonableGrounds: 'positive',
      conclusiveStatus: 'none',
      assisted: '0',
      shelterAdmitted: '1',
      reflectionPeriodGranted: '0',
      returned: '0',
      reTraffickingReported: '0',
    });
  });
});

describe('anonymising an export', () => {
  it('keeps the finest rows when every class already has k rows', () => {
    const result = anonymise([...many(11), ...many(12, { citizenship: 'VN' })], regionOf, options);
    expect(result.generalisation).toEqual([]);
    expect(result.suppressed).toBe(0);
    expect(result.rows).toHaveLength(23);
    expect(new Set(result.rows.map((row) => row.quarterOfRegistration))).toEqual(new Set(['Q1']));
  });

  it('generalises quarters to years before suppressing', () => {
    const result = anonymise(
      [
        ...many(6, { identifiedAt: '2024-02-01T00:00:00.000Z' }),
        ...many(6, { identifiedAt: '2024-08-01T00:00:00.000Z' }),
      ],
      regionOf,
      options,
    );
    expect(result.generalisation).toEqual(['quarter_to_year']);
    expect(result.rows).toHaveLength(12);
    expect(result.rows.every((row) => row.yearOfRegistration === '2024')).toBe(true);
  });

  it('groups rare countries into their region, then into Other', () => {
    const result = anonymise(
      [...many(12, { citizenship: 'NG' }), ...many(3, { citizenship: 'GH' })],
      regionOf,
      options,
    );
    // GH alone is rare: it becomes Other at once; the Other class of 3 is then suppressed
    // (3 of 15 is above 5%), so the ladder coarsens until NG and Other share a class.
    expect(result.rows.every((row) => row.citizenship !== 'GH')).toBe(true);
    expect(result.rows.length + result.suppressed).toBe(15);
  });

  it('suppresses everything below k rows in all', () => {
    const result = anonymise(many(10), regionOf, options);
    expect(result.rows).toEqual([]);
    expect(result.suppressed).toBe(10);
  });

  it('writes CSV with a header and quoted cells', () => {
    const result = anonymise(many(11), regionOf, options);
    const csv = toCsv(result.rows);
    const [header, first] = csv.split('\r\n');
    expect(header).toBe(
      'yearOfRegistration,quarterOfRegistration,gender,ageBroad,majorityStatus,citizenship,typeOfExploitation,Datasource,reasonableGrounds,conclusiveStatus,assisted,shelterAdmitted,reflectionPeriodGranted,returned,reTraffickingReported',
    );
    expect(first).toBe(
      '2025,Q1,Female,24-26,Adult,NG,SexualExploit,Case Management,none,none,0,0,0,0,0',
    );
  });
});
