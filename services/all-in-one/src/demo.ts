import type { Role } from '@waypoint/contracts';

/**
 * The demo world of the embedded mode: a few organisations and one user per role. Synthetic:
 * no real person or organisation. Ids are fixed so that tokens minted for demo users match the
 * organisations the seed registers.
 */
export const DEMO_ORGANISATIONS = [
  {
    orgId: '0193a000-0000-7000-8000-000000000001',
    name: 'Harbour Outreach (NGO)',
    type: 'NGO',
    country: 'NL',
    acceptsReferrals: true,
    services: ['SocialCare', 'Legal'],
  },
  {
    orgId: '0193a000-0000-7000-8000-000000000002',
    name: 'Safe House North',
    type: 'NGO',
    country: 'NL',
    acceptsReferrals: true,
    services: ['SocialCare', 'Health'],
  },
  {
    orgId: '0193a000-0000-7000-8000-000000000003',
    name: 'City Health Clinic',
    type: 'HealthServiceOrganisation',
    country: 'NL',
    acceptsReferrals: true,
    services: ['Health'],
  },
  {
    orgId: '0193a000-0000-7000-8000-000000000004',
    name: 'Legal Aid Bureau',
    type: 'LegalService',
    country: 'NL',
    acceptsReferrals: true,
    services: ['Legal'],
  },
  {
    orgId: '0193a000-0000-7000-8000-000000000005',
    name: 'National Inspectorate',
    type: 'CentralGovernmentOrganisation',
    country: 'NL',
    acceptsReferrals: false,
    services: [],
  },
] as const;

const [outreach, shelter, clinic, legal, inspectorate] = DEMO_ORGANISATIONS;

export interface DemoUser {
  readonly sub: string;
  readonly org: string;
  readonly roles: readonly Role[];
  readonly description: string;
}

/**
 * One demo user per role, named by the role it holds (`pnpm demo-token shelter_staff`): the names
 * the docs and the API's 403 answers use.
 */
export const DEMO_USERS: Readonly<Record<Role, DemoUser>> = {
  caseworker: {
    sub: 'demo-caseworker',
    org: outreach.orgId,
    roles: ['caseworker'],
    description: 'caseworker at Harbour Outreach',
  },
  supervisor: {
    sub: 'demo-supervisor',
    org: outreach.orgId,
    roles: ['supervisor'],
    description: 'supervisor at Harbour Outreach',
  },
  shelter_staff: {
    sub: 'demo-shelter',
    org: shelter.orgId,
    roles: ['shelter_staff', 'caseworker'],
    description: 'staff at Safe House North (also a caseworker there)',
  },
  care_provider: {
    sub: 'demo-care',
    org: clinic.orgId,
    roles: ['care_provider'],
    description: 'care provider at City Health Clinic',
  },
  legal_advisor: {
    sub: 'demo-legal',
    org: legal.orgId,
    roles: ['legal_advisor'],
    description: 'legal advisor at Legal Aid Bureau',
  },
  reintegration_officer: {
    sub: 'demo-reintegration',
    org: outreach.orgId,
    roles: ['reintegration_officer'],
    description: 'reintegration officer at Harbour Outreach',
  },
  auditor: {
    sub: 'demo-auditor',
    org: inspectorate.orgId,
    roles: ['auditor'],
    description: 'auditor at the National Inspectorate',
  },
  analyst: {
    sub: 'demo-analyst',
    org: inspectorate.orgId,
    roles: ['analyst'],
    description: 'analyst at the National Inspectorate',
  },
  data_protection_officer: {
    sub: 'demo-dpo',
    org: outreach.orgId,
    roles: ['data_protection_officer'],
    description: 'data-protection officer at Harbour Outreach',
  },
  admin: {
    sub: 'demo-admin',
    org: outreach.orgId,
    roles: ['admin'],
    description: 'administrator at Harbour Outreach',
  },
};

/**
 * The short names demo users had before they were named by their role. Still accepted for a
 * while, so scripts written against them keep working; never listed.
 */
export const FORMER_DEMO_USER_NAMES: Readonly<Record<string, Role>> = {
  shelter: 'shelter_staff',
  care: 'care_provider',
  legal: 'legal_advisor',
  reintegration: 'reintegration_officer',
  dpo: 'data_protection_officer',
};

/** The demo user a name stands for (its role name, or a former short name), if any. */
export function demoUser(name: string): DemoUser | undefined {
  const role =
    (Object.keys(DEMO_USERS) as Role[]).find((key) => key === name) ?? FORMER_DEMO_USER_NAMES[name];
  return role === undefined ? undefined : DEMO_USERS[role];
}

export const DEMO_ISSUER = 'waypoint-embedded';
export const DEMO_AUDIENCE = 'waypoint';
