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

const log = createJsonLogger({ service: 'telemetry-probe' });
const server = createServer((req, res) => {
  log.info('handled', { path: req.url, email: 'ada@example.com' });
  res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(injectTraceContext()));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ listening: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void shutdownTelemetry().then(() => process.exit(0));
});
