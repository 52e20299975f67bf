export { registerIdentification, IDENTIFICATION_REDACT_PATHS } from './app.js';
export type { IdentificationDeps, Cipher, BlindIndexer } from './deps.js';
export { organisationDirectory } from './directory/organisation-directory.js';
export { personIndex } from './person/person-index.js';
export { streams as identificationStreams } from './streams.js';
