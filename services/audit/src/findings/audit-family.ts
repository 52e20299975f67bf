/** The audit service's own events live with every other family in the contracts. */
export {
  FINDING_REASON_CODES,
  auditEventData,
  auditFamily,
  type AuditEvent,
} from '@waypoint/contracts';
