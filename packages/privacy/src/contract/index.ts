export {
  keyStoreContract,
  type KeyStoreContractOptions,
  type KeyStoreStorage,
  type OpenOptions,
} from './key-store-contract.js';
export { expectCode, expectCodeSync, newMasterKey, uniqueSubject } from './fixtures.js';
