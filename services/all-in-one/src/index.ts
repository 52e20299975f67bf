export { startEmbedded, type Embedded } from './embedded.js';
export { allInOneConfigSchema, type AllInOneConfig } from './config.js';
export { DEMO_USERS, DEMO_ORGANISATIONS } from './demo.js';
export { demoToken } from './tokens.js';
