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

export const DEMO_USERS: Readonly<Record<string, DemoUser>> = {
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
  shelter: {
    sub: 'demo-shelter',
    org: shelter.orgId,
    roles: ['shelter_staff', 'caseworker'],
    description: 'staff at Safe House North',
  },
  care: {
    sub: 'demo-care',
    org: clinic.orgId,
    roles: ['care_provider'],
    description: 'care provider at City Health Clinic',
  },
  legal: {
    sub: 'demo-legal',
    org: legal.orgId,
    roles: ['legal_advisor'],
    description: 'legal advisor at Legal Aid Bureau',
  },
  reintegration: {
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
  dpo: {
    sub: 'demo-dpo',
    org: outreach.orgId,
    roles: ['data_protection_officer'],
    description: 'data-protection officer',
  },
  admin: { sub: 'demo-admin', org: outreach.orgId, roles: ['admin'], description: 'administrator' },
};

export const DEMO_ISSUER = 'waypoint-embedded';
export const DEMO_AUDIENCE = 'waypoint';
