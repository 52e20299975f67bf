import { CATEGORIES, type Category } from '@waypoint/contracts';

const DAY_MS = 86_400_000;

/** A retention policy in configuration that cannot be read: the process must not start. */
export class RetentionPolicyError extends Error {
  readonly code = 'INVALID_RETENTION_POLICY';
  constructor(message: string) {
    super(message);
    this.name = 'RetentionPolicyError';
  }
}

/** How long a category of a person's data is kept after the last of their journeys closed. */
export interface RetentionRule {
  readonly category: Category;
  readonly days: number;
}

export type RetentionPolicy = readonly RetentionRule[];

/** What the retention evaluation needs to know about one person. */
export interface RetentionSubject {
  /**
   * When the last of the person's journeys closed (ISO 8601); null while any is still open, or when
   * none was ever opened: the clock only starts once the person is no longer followed.
   */
  readonly closedAt: string | null;
  /** Categories under a legal hold: never due, whatever their age. */
  readonly held: ReadonlySet<Category>;
  /** Categories already erased, or requested: not asked for twice. */
  readonly erased: ReadonlySet<Category>;
}

/**
 * The policy from configuration: `health=730,notes=1825` keeps health data 730 days and notes 1,825
 * days after the last journey closed. A category left out is kept until someone asks for its
 * erasure. Empty text is an empty policy.
 */
export function parseRetentionPolicy(text: string): RetentionPolicy {
  const rules: RetentionRule[] = [];
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const match = /^([a-z]+)\s*=\s*(\d{1,6})$/.exec(entry);
    const category = match?.[1];
    const days = Number(match?.[2]);
    if (category === undefined || !(CATEGORIES as readonly string[]).includes(category)) {
      throw new RetentionPolicyError(
        `"${entry}" is not <category>=<days> with a category among ${CATEGORIES.join(', ')}`,
      );
    }
    if (!Number.isSafeInteger(days) || days < 1) {
      throw new RetentionPolicyError(
        `${category}: the retention period is a whole number of days, at least 1`,
      );
    }
    if (rules.some((rule) => rule.category === category)) {
      throw new RetentionPolicyError(`${category} is given two retention periods`);
    }
    rules.push({ category: category as Category, days });
  }
  return rules;
}

/**
 * The categories of a person past their retention period at `now` and not under a legal hold:
 * what the retention job asks to erase. Pure: the caller gathers the facts.
 */
export function categoriesPastRetention(
  policy: RetentionPolicy,
  subject: RetentionSubject,
  now: Date,
): Category[] {
  if (subject.closedAt === null) return [];
  const closed = Date.parse(subject.closedAt);
  if (Number.isNaN(closed)) return [];
  return policy
    .filter(
      (rule) =>
        closed + rule.days * DAY_MS <= now.getTime() &&
        !subject.held.has(rule.category) &&
        !subject.erased.has(rule.category),
    )
    .map((rule) => rule.category);
}
