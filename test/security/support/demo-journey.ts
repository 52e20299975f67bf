import { expect } from 'vitest';
import type { World } from './world.js';

/** A demo journey and who stands where in relation to it. */
export interface Subject {
  readonly journeyId: string;
  readonly personId: string;
  readonly openedByOrgId: string;
  /** Organisations that accepted a referral (on consent that still holds). */
  readonly referredOrgIds: readonly string[];
  readonly referrals: readonly {
    referralId: string;
    toOrgId: string;
    status: string;
    consentId?: string;
  }[];
}

interface IdentificationView {
  personId: string;
  openedByOrgId?: string;
  referrals: { referralId: string; toOrgId: string; status: string; consentId?: string }[];
}

/** The identification facts of a journey, as its opening caseworker reads them. */
export async function subjectOf(world: World, journeyId: string): Promise<Subject> {
  const response = await world.call({
    method: 'GET',
    url: `/journeys/${journeyId}/identification`,
    token: await world.demo('caseworker'),
  });
  expect(response.status, response.text).toBe(200);
  const view = response.json as IdentificationView;
  const summary = await world.call({
    method: 'GET',
    url: `/journeys/${journeyId}/summary`,
    token: await world.demo('caseworker'),
  });
  expect(summary.status, summary.text).toBe(200);
  const { openedByOrgId } = summary.json as { openedByOrgId: string };
  return {
    journeyId,
    personId: view.personId,
    openedByOrgId,
    referredOrgIds: view.referrals
      .filter((referral) => referral.status === 'accepted')
      .map((referral) => referral.toOrgId),
    referrals: view.referrals,
  };
}

/** The demo journeys the opening organisation's caseworker sees. */
export async function demoJourneyIds(world: World): Promise<string[]> {
  const response = await world.call({
    method: 'GET',
    url: '/journeys?limit=200',
    token: await world.demo('caseworker'),
  });
  expect(response.status, response.text).toBe(200);
  return (response.json as { items: { journeyId: string }[] }).items.map((item) => item.journeyId);
}
