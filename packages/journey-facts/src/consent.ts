import type { Consent, OpenJourney } from './journey-state.js';

/** A consent of this scope that can be relied on at `at`: recorded, not withdrawn, not expired. */
export function validConsent(
  journey: OpenJourney,
  scope: Consent['scope'],
  at: string,
): Consent | undefined {
  return journey.consents.find(
    (consent) =>
      consent.scope === scope &&
      !consent.withdrawn &&
      (consent.validUntil === undefined || consent.validUntil > at),
  );
}
