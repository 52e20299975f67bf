import type { FastifyInstance } from 'fastify';
import { v7 } from 'uuid';

/** The demo users whose tokens the demo seed can mint. */
export type DemoUser = 'caseworker' | 'supervisor' | 'shelter' | 'care' | 'legal' | 'reintegration';

const DAY_MS = 86_400_000;

/** When the demo happens: its first day, and how to move the clock of the app that records it. */
export interface DemoTime {
  readonly today?: Date;
  readonly moveTo?: (at: Date) => void;
}

/**
 * Synthetic reintegration records for one demo journey (opened by the Harbour Outreach demo
 * organisation, whose reintegration officer sees it), entered through this service's API as a client would.
 *
 * Lawful path (`breach` false): return risk assessment (low); for a child, a family assessment
 * (not implicated, able and willing), a best-interests determination choosing return and the
 * child's views; an assisted voluntary return to the family (child) or own accommodation (adult),
 * carried out; reception arranged with contacts given; a plan; a baseline review (scores, and the
 * situation found: housing, work or school, feeling safe, legal status) with the next one due in
 * 90 days.
 *
 * Breach path (`breach` true): an immigration authority's involuntary return decision to the
 * family, recorded as a fact and carried out with no risk assessment, no reception and (for a
 * child) no best-interests determination, family assessment or views: the audit flags RT-01 and
 * RT-02, RT-05, and RT-04 for a child.
 *
 * With `time`, the path ends 12 days after `time.today` (the recording app's clock is moved there)
 * instead of now.
 */
export async function demoJourney(
  app: Pick<FastifyInstance, 'inject'>,
  token: (user: DemoUser) => Promise<string>,
  journeyId: string,
  breach = false,
  time: DemoTime = {},
): Promise<void> {
  const base = `/journeys/${journeyId}/reintegration`;
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    user: DemoUser,
    body?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await token(user)}` },
      ...(body === undefined ? {} : { payload: body }),
    });
    if (response.statusCode >= 300)
      throw new Error(
        `reintegration demo: ${method} ${url} answered ${String(response.statusCode)}: ${response.body}`,
      );
    return response.json<Record<string, unknown>>();
  };
  const post = (path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> =>
    call('POST', `${base}/${path}`, 'reintegration', body);
  const now =
    time.today === undefined
      ? Date.now()
      : Math.min(Date.now(), time.today.getTime() + 12 * DAY_MS);
  time.moveTo?.(new Date(now));
  const daysAgo = (days: number): string => new Date(now - days * DAY_MS).toISOString();
  const inDays = (days: number): string => new Date(now + days * DAY_MS).toISOString().slice(0, 10);

  const status = await call('GET', base, 'reintegration');
  const child = status.presumedChild === true;

  if (breach) {
    const returnId = v7();
    await post('authority-return-decisions', {
      returnId,
      decidingBody: { type: 'NonPoliceGovernmentalOrganization', name: 'Immigration Service' },
      voluntary: false,
      destination: { kind: 'family', address: 'Synthetic village road 7' },
      countryOfReturn: 'RO',
      legalBasis: 'Aliens Act return decision',
      occurredAt: daysAgo(6),
    });
    await post('return-executions', {
      returnId,
      executedBy: { type: 'Police', name: 'Border police escort unit' },
      countryOfReturn: 'RO',
      escorted: true,
      occurredAt: daysAgo(2),
    });
    return;
  }

  await post('risk-assessments', {
    scope: 'return',
    level: 'low',
    assessedBy: { type: 'NGO', name: 'Harbour Outreach' },
    countryOfReturn: 'RO',
    narrative: 'Synthetic: traffickers prosecuted; no threats reported at home',
    occurredAt: daysAgo(10),
  });
  const familyAssessmentId = v7();
  if (child) {
    await post('family-assessments', {
      familyAssessmentId,
      relationship: 'mother',
      familyImplicated: false,
      ableToCare: true,
      willingToCare: true,
      assessedBy: { type: 'NGO', name: 'Partner child-protection NGO at destination' },
      narrative: 'Synthetic: home visit; mother unaware of the recruitment',
      occurredAt: daysAgo(9),
    });
    await post('child-views', {
      wishAboutReturn: 'wants_return',
      language: 'ro',
      interpreterUsed: true,
      guardianPresent: true,
      views: 'Synthetic: wants to go home to her mother and back to school',
      occurredAt: daysAgo(8),
    });
    await post('best-interests-determinations', {
      durableSolution: 'return',
      determinedBy: { type: 'CourtOrProsecution', name: 'Best-interests panel, District Court' },
      rationale: 'Synthetic: safe family environment, schooling arranged',
      occurredAt: daysAgo(5),
    });
  }
  const returnId = v7();
  await post('assisted-returns', {
    returnId,
    voluntary: true,
    destination: child
      ? { kind: 'family', familyAssessmentId, address: 'Synthetic street 3, home town' }
      : { kind: 'other', placeType: 'own_accommodation' },
    countryOfReturn: 'RO',
    plannedDate: inDays(0),
  });
  await post('receptions', {
    returnId,
    receivingOrg: { name: 'Partner reintegration NGO', country: 'RO' },
    services: child ? ['Education', 'SocialCare'] : ['Livelihood', 'SocialCare'],
    contactsGiven: true,
  });
  await post('return-executions', {
    returnId,
    executedBy: { type: 'NGO', name: 'Harbour Outreach assisted-return team' },
    countryOfReturn: 'RO',
    escorted: child,
  });
  await post('plans', {
    planId: v7(),
    setting: 'after_return',
    supportAreas: child ? ['Education', 'SocialCare'] : ['Livelihood', 'Financial'],
    firstReviewDue: inDays(90),
    goals: 'Synthetic: stable income or schooling within six months',
  });
  await post('reviews', {
    reviewId: v7(),
    method: 'phone',
    scores: { economic: 0.3, social: 0.5, psychosocial: 0.4 },
    situation: child
      ? {
          housing: 'stable_family',
          school: 'enrolled_attending',
          feelsSafe: 'somewhat',
          legalStatus: 'citizen_returned',
        }
      : {
          housing: 'stable_own',
          work: 'unemployed_seeking',
          school: 'not_applicable',
          feelsSafe: 'somewhat',
          legalStatus: 'citizen_returned',
        },
    nextReviewDue: inDays(90),
    notes: 'Synthetic baseline review on arrival',
  });
}
