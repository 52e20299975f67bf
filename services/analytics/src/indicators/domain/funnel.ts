import type { JourneyFacts } from '../../facts/domain/journey-facts.js';
import { publishCount, type PrivacyRules, type Statistic } from './privacy.js';

const STAGES: readonly { key: string; label: string; reached: (row: JourneyFacts) => boolean }[] = [
  { key: 'journeys', label: 'Journeys', reached: () => true },
  {
    key: 'positive_reasonable_grounds',
    label: 'Positive reasonable grounds',
    reached: (row) => row.reasonableGroundsOutcome === 'positive',
  },
  { key: 'assisted', label: 'Assisted', reached: (row) => row.firstServiceAt !== null },
  {
    key: 'conclusive_victim',
    label: 'Conclusively identified',
    reached: (row) => row.conclusiveStatus === 'ActualVictimOfTrafficking',
  },
  {
    key: 'in_reintegration_review',
    label: 'Reintegration reviewed',
    reached: (row) => row.reviews.length > 0,
  },
];

export interface FunnelStage {
  readonly key: string;
  readonly label: string;
  readonly journeys: Statistic;
}

/** How many journeys of the cohort reached each stage, as published counts. */
export function cohortFunnel(cohort: readonly JourneyFacts[], rules: PrivacyRules): FunnelStage[] {
  return STAGES.map((stage) => ({
    key: stage.key,
    label: stage.label,
    journeys: publishCount(cohort.filter(stage.reached).length, rules),
  }));
}
