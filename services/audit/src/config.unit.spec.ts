import { describe, expect, it } from 'vitest';
import { auditConfigSchema, profilesOf } from './config.js';
import { profileInForce } from './rules/jurisdiction-profile.js';

describe('the audit configuration', () => {
  it('defaults to one NL profile in the Amsterdam zone', () => {
    const config = auditConfigSchema.parse({ AUDIT_DIGEST_KEY: 'pem' });
    expect(profilesOf(config).map((profile) => [profile.jurisdiction, profile.timeZone])).toEqual([
      ['NL', 'Europe/Amsterdam'],
    ]);
  });

  it('takes versioned profiles and picks the one in force, falling back to the country', () => {
    const limits = profilesOf(auditConfigSchema.parse({ AUDIT_DIGEST_KEY: 'pem' }))[0]?.limits;
    const profiles = profilesOf({
      AUDIT_PROFILES: JSON.stringify([
        {
          jurisdiction: 'BE',
          version: 1,
          effectiveFrom: '2020-01-01',
          timeZone: 'Europe/Brussels',
          limits,
        },
        {
          jurisdiction: 'BE',
          version: 2,
          effectiveFrom: '2026-07-15',
          timeZone: 'Europe/Brussels',
          limits: { ...limits, nrmReferralDays: 5 },
        },
      ]),
    });
    expect(profileInForce(profiles, 'BE-VLG', '2026-07-14').version).toBe(1);
    expect(profileInForce(profiles, 'BE', '2026-07-15').version).toBe(2);
  });

  it('refuses an unknown time zone and duplicate versions', () => {
    const limits = profilesOf(auditConfigSchema.parse({ AUDIT_DIGEST_KEY: 'pem' }))[0]?.limits;
    const profile = {
      jurisdiction: 'NL',
      version: 1,
      effectiveFrom: '2020-01-01',
      timeZone: 'Mars/Olympus',
      limits,
    };
    expect(() => profilesOf({ AUDIT_PROFILES: JSON.stringify([profile]) })).toThrow(/IANA/);
    const valid = { ...profile, timeZone: 'Europe/Amsterdam' };
    expect(() => profilesOf({ AUDIT_PROFILES: JSON.stringify([valid, valid]) })).toThrow(
      /Duplicate/,
    );
  });
});
