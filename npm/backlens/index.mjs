// ES module entry of the JavaScript API (index.js has the documentation).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const api = require('./index.js');

export const analyze = api.analyze;
export const report = api.report;
export const version = api.version;
export default api;
