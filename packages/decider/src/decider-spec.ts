import { expect } from 'vitest';
import type { Decider } from './decider.js';
import { DomainError } from './domain-error.js';

/**
 * Given/when/then for deciders:
 *   spec.given([opened]).when(recordConsent).then([consentRecorded]);
 *   spec.given([]).when(refer).thenFails('CONSENT_REQUIRED');
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = (): Event[] => decider.decide(command, state);
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens(): void {
              expect(run()).toEqual([]);
            },
            thenFails(code: string, field?: string): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught, `expected the command to fail with ${code}`).toBeInstanceOf(
                DomainError,
              );
              const error = caught as DomainError;
              expect(error.code).toBe(code);
              if (field !== undefined) expect(error.field).toBe(field);
              return error;
            },
          };
        },
      };
    },
  };
}
