import { canSeeJourney, mandateOrgIds, type OpenJourney } from '@waypoint/journey-facts';
import { HttpProblem, type Principal } from '@waypoint/service-kit';
import type { AuditDeps } from './deps.js';

/**
 * Who may audit what. Auditors see the journeys of the organisations their mandates cover, for the
 * mandate's period; supervisors see the journeys their organisation sees. Anything else does not
 * exist for the caller (404, never 403, so ids cannot be probed).
 */

const journeyNotFound = (): HttpProblem => new HttpProblem('NOT_FOUND', 'No such journey');

export async function visibleJourney(
  deps: AuditDeps,
  principal: Principal,
  journeyId: string,
): Promise<OpenJourney> {
  const journey = (await deps.journeys.current()).get(journeyId);
  if (!journey) throw journeyNotFound();
  const mandates = principal.roles.includes('auditor')
    ? await mandateOrgIds(deps.store, principal.userId, deps.now())
    : new Set<string>();
  const viewer = { userId: principal.userId, orgId: principal.orgId, roles: principal.roles };
  // Only auditors and supervisors reach here: a supervisor sees through their organisation.
  const sees = canSeeJourney(
    journey,
    {
      ...viewer,
      roles: viewer.roles.filter((role) => role === 'auditor' || role === 'supervisor'),
    },
    {
      mandateOrgIds: mandates,
      breakGlassJourneyIds: new Set(),
    },
    deps.now().toISOString(),
  );
  if (!sees) throw journeyNotFound();
  return journey;
}

/** The organisations whose journeys the caller may audit as a whole. */
export async function auditableOrgIds(deps: AuditDeps, principal: Principal): Promise<Set<string>> {
  const orgs = principal.roles.includes('auditor')
    ? await mandateOrgIds(deps.store, principal.userId, deps.now())
    : new Set<string>();
  if (principal.roles.includes('supervisor')) orgs.add(principal.orgId);
  return orgs;
}

export async function assertOrgAuditable(
  deps: AuditDeps,
  principal: Principal,
  orgId: string,
): Promise<void> {
  if (!(await auditableOrgIds(deps, principal)).has(orgId))
    throw new HttpProblem('NOT_FOUND', 'No such organisation in your mandate');
}
