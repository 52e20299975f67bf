export { fold, type Decider, type DomainEvent } from './decider.js';
export { DomainError, type DomainErrorKind } from './domain-error.js';
export {
  handleCommand,
  readState,
  type CommandContext,
  type CommandResult,
  type EventCodec,
  type HandleCommandOptions,
} from './command-handler.js';
