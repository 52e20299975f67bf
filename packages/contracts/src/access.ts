/**
 * Who may do what with personal data: the roles a token can carry, the categories personal data is
 * encrypted under, and which roles may read which category.
 */
export const ROLES = [
  'caseworker',
  'shelter_staff',
  'care_provider',
  'legal_advisor',
  'reintegration_officer',
  'supervisor',
  'auditor',
  'analyst',
  'data_protection_officer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Each category has its own key per person, so each can be erased on its own. */
export const CATEGORIES = ['identity', 'location', 'health', 'legal', 'notes'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Need to know: the categories each role may decrypt. A shelter worker does not see legal details,
 * a legal advisor does not see health notes; analysts and administrators see no personal data;
 * auditors need facts, not names.
 */
export const CATEGORY_ACCESS: Readonly<Record<Role, readonly Category[]>> = {
  caseworker: ['identity', 'location', 'health', 'legal', 'notes'],
  shelter_staff: ['identity', 'location', 'notes'],
  care_provider: ['identity', 'health', 'notes'],
  legal_advisor: ['identity', 'legal', 'notes'],
  reintegration_officer: ['identity', 'location', 'notes'],
  supervisor: ['identity', 'location', 'health', 'legal', 'notes'],
  auditor: [],
  analyst: [],
  data_protection_officer: ['identity', 'location', 'health', 'legal', 'notes'],
  admin: [],
};

/** The categories the union of `roles` may read. */
export function readableCategories(roles: readonly Role[]): Set<Category> {
  return new Set(roles.flatMap((role) => CATEGORY_ACCESS[role]));
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
