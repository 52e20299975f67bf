/**
 * Who acts, as a decider sees them: their user id, organisation and roles, from the verified
 * token. (The event envelope names the actor in one role; that is the store's business.)
 */
export interface Actor {
  readonly userId: string;
  readonly orgId: string;
  readonly roles: readonly string[];
}
