export { capturedLogs, testContext, testReadModels, testServiceApp } from './test-service.js';
