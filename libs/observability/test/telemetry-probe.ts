// A minimal app for start-telemetry.int-spec.ts: telemetry first, as every app's main.ts does,
// then an HTTP server that answers with the trace context it would put on an event.
import { startTelemetry, shutdownTelemetry } from '../src/start-telemetry';

startTelemetry('telemetry-probe');

// Required after the start on purpose, like an app's modules imported after its telemetry.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createServer } = require('node:http') as typeof import('node:http');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { injectTraceContext } = require('../src/trace-carrier') as typeof import('../src/trace-carrier');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createJsonLogger } = require('../src/json-logger') as typeof import('../src/json-logger');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { observeHttpRequests } = require('../src/observe-http-requests') as typeof import('../src/observe-http-requests');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { preAggregatedHistogram } = require('../src/pre-aggregated-histogram') as typeof import('../src/pre-aggregated-histogram');

const log = createJsonLogger({ service: 'telemetry-probe' });
// A histogram recorded the way the consumers record handler time, to see it served.
const recordWork = preAggregatedHistogram('telemetry-probe', { name: 'probe.work.duration', description: 'Probe work.', unit: 's', boundaries: [0.01, 0.1] }).bind({ path: '/work' });
const server = createServer((req, res) => {
  log.info('handled', { path: req.url, email: 'ada@example.com' });
  if (req.url === '/work') recordWork(0.05);
  res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(injectTraceContext()));
});
// As the accounts service does: request metrics and trace context while tracing is off.
observeHttpRequests(server);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ listening: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void shutdownTelemetry().then(() => process.exit(0));
});
