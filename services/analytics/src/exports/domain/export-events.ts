/** The analytics service's own events live with every other family in the contracts. */
export { analyticsEventData, analyticsFamily, type AnalyticsEvent } from '@waypoint/contracts';
