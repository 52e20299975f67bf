export { eventStoreContract, type ContractOptions } from './event-store-contract.js';
export { collect, ids, revisions, testEvent, testEvents, uniqueStream } from './fixtures.js';
export { ReferenceModel } from './reference-model.js';
