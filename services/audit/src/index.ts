export { auditService, type AuditSettings } from './service.js';
export type { AuditDeps, ReadModels } from './deps.js';
export {
  findingsProjection,
  sweepFindings,
  FINDINGS_PROJECTION,
} from './findings/findings-projection.js';
export {
  countFindings,
  registerFindingsMetrics,
  type FindingCounts,
} from './findings/findings-metrics.js';
export { accessLogProjection, ACCESS_LOG_PROJECTION } from './access-log/access-log-projection.js';
export { auditFamily } from './findings/audit-family.js';
export { DigestLog, digestKeysFromPem, publishDigest } from './integrity/digests.js';
export {
  DEFAULT_LIMITS,
  parseProfiles,
  type JurisdictionProfile,
} from './rules/jurisdiction-profile.js';
export { RULE_CATALOGUE, rulesInForce } from './rules/catalogue.js';
export { renderRuleCatalogue } from './rules/render-catalogue.js';
export { auditJourney } from './rules/evaluate.js';
export { auditConfigSchema, profilesOf, type AuditConfig } from './config.js';
