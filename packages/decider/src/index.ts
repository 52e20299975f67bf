export { fold, type Decider, type DomainEvent } from './decider.js';
export { DomainError, type DomainErrorKind } from './domain-error.js';
export type { Actor } from './actor.js';
export { historyToArray, type History } from './history.js';
export {
  decideCorrection,
  type AmendmentData,
  type CorrectableEntry,
  type Correction,
  type CorrectionEvent,
  type CorrectionRules,
  type DataSchema,
  type KeptFields,
  type RetractionData,
} from './corrections.js';
export {
  handleCommand,
  readState,
  type CommandContext,
  type CommandResult,
  type EventCodec,
  type HandleCommandOptions,
} from './command-handler.js';
