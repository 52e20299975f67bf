import { DomainError } from '@waypoint/decider';
import type { Authenticator, Principal } from './authenticator.js';

/** Which organisations a token may name, and where the data-protection officer's role counts. */
export interface OrganisationScope {
  /**
   * The organisations whose data-protection officers this installation recognises (configured:
   * `DPO_ORG_IDS`). They count as known even before the directory holds them, so that the
   * operator's own organisation can register the directory.
   */
  readonly dpoOrgIds: ReadonlySet<string>;
  /** Whether the organisation directory holds the organisation (may wait for it to catch up). */
  isKnown(orgId: string): Promise<boolean>;
}

const DPO = 'data_protection_officer';

/**
 * The authenticator, refusing tokens that name an organisation nobody registered (403
 * `ORGANISATION_UNKNOWN`: a signed token is not enough to invent an organisation, whose journeys
 * would then be visible to it), and dropping the data-protection officer's role from a token of
 * an organisation not configured as a DPO organisation: the role sees every journey, so it is
 * tied to the organisations the installation names (a token left with no role gets 403
 * `FORBIDDEN` from every route, as any role a route does not declare).
 */
export function scopedToOrganisations(
  authenticator: Authenticator,
  scope: OrganisationScope,
): Authenticator {
  return {
    async authenticate(authorization): Promise<Principal> {
      const principal = await authenticator.authenticate(authorization);
      const dpoOrganisation = scope.dpoOrgIds.has(principal.orgId);
      if (!dpoOrganisation && !(await scope.isKnown(principal.orgId)))
        throw new DomainError(
          'ORGANISATION_UNKNOWN',
          'The token names an organisation that is not in the directory',
          'forbidden',
        );
      if (dpoOrganisation || !principal.roles.includes(DPO)) return principal;
      // Not a DPO here: the token keeps its other roles; with none left, every route refuses it.
      const roles = principal.roles.filter((role) => role !== DPO);
      return { ...principal, roles };
    },
  };
}
