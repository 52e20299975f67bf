import { accessFamily, grantFamily } from './access-records.js';
import { analyticsFamily } from './analytics/events.js';
import { auditFamily } from './audit/events.js';
import { careFamily } from './care/events.js';
import { erasureFamily, legalHoldFamily } from './erasure/events.js';
import { legalFamily } from './legal/events.js';
import { reintegrationFamily } from './reintegration/events.js';
import { shelterFamily, shelterRegistryFamily } from './shelter/events.js';
import { identificationFamily, organisationFamily, personFamily } from './identification/events.js';

/** Every event family, in catalogue order. A new family is added here. */
export const ALL_FAMILIES = [
  identificationFamily,
  personFamily,
  organisationFamily,
  shelterFamily,
  shelterRegistryFamily,
  careFamily,
  legalFamily,
  reintegrationFamily,
  accessFamily,
  grantFamily,
  auditFamily,
  analyticsFamily,
  erasureFamily,
  legalHoldFamily,
] as const;
