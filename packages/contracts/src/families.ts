import { accessFamily, grantFamily } from './access-records.js';
import { identificationFamily, organisationFamily, personFamily } from './identification/events.js';

/** Every event family, in catalogue order. A new family is added here. */
export const ALL_FAMILIES = [
  identificationFamily,
  personFamily,
  organisationFamily,
  accessFamily,
  grantFamily,
] as const;
