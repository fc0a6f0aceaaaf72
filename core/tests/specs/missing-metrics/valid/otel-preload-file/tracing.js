// OpenTelemetry started in its own file (loaded with node -r ./tracing.js): the app is instrumented.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');

new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();
