'use strict';
// The image's HEALTHCHECK: GET /health/ready on the port the app serves its probes on, read from
// the same variable the app reads, else the app's default; the build wrote both to deploy.json.
const { health } = require('./deploy.json');
if (!health) process.exit(0); // the ops CLI serves nothing
const port = process.env[health.variable] || health.port;
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
