/**
 * The slow-clients run (issue 20): slow and vanishing keyless clients beside real signups, against
 * the accounts service as its own process, with its default in-flight cap and timeouts.
 *
 *   npm run chaos:slow-clients [-- --seconds 600 --slow 200 --rate 50]
 *
 * For the whole run `slow` keyless connections are held open: half trickle their headers a line a
 * second and never finish them (slowloris; the service's headers timeout ends each), half declare
 * a 200-byte body, send two bytes and trickle the rest (refused 401 before the body is read). A
 * connection the service closes is opened again a second later, so about `slow` are open at any
 * time. Meanwhile `rate` signups a second arrive open loop (evenly spaced, timed from their
 * schedule). It passes when at least 99.9 % of the signups are answered 201 with a p99 under
 * 500 ms, and the in-flight gauge is back to 0 once the slow clients are gone.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '@platform/config';
import { ROOT } from '@platform/dev-stack';
import { SlowClient, createFreshDatabase, openLoop, openSlowClient, parsePrometheusText, percentile, testServerUrl, waitFor } from '@platform/testing';
import { startAccountsAlone } from './accounts-alone';
import { person } from './signups';

const DEFAULTS = {
  seconds: 600,
  slow: 200,
  rate: 50,
  /** Keep-alive connections of the signup load. */
  connections: 32,
  successRatio: 0.999,
  p99LimitMs: 500,
  poolSize: 16,
  reportDir: join(ROOT, '.local', 'chaos', 'report'),
};

/** Keeps `count` slow keyless connections open until stopped; counts what the service answered them. */
function holdSlowClients(port: number, count: number): { stop: () => Promise<void>; answers: Record<string, number>; opened: () => number } {
  const answers: Record<string, number> = {};
  const open = new Set<SlowClient>();
  let opened = 0;
  let stopping = false;
  const loops = Array.from({ length: count }, async (_, i) => {
    while (!stopping) {
      const client = await openSlowClient(
        i % 2 === 0 ? { port, declaredBytes: 200, headerLinePeriodMs: 1_000 } : { port, declaredBytes: 200, sendBytes: 2, tricklePeriodMs: 1_000 },
      ).catch(() => undefined);
      if (client) {
        opened++;
        open.add(client);
        const answer = await client.answered;
        open.delete(client);
        const key = answer ? String(answer.status) : 'closed';
        answers[key] = (answers[key] ?? 0) + 1;
      }
      if (!stopping) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  });
  return {
    answers,
    opened: () => opened,
    async stop() {
      stopping = true;
      for (const client of open) client.hangUp();
      await Promise.all(loops);
    },
  };
}

async function metric(metricsUrl: string, name: string): Promise<number> {
  const samples = parsePrometheusText(await (await fetch(metricsUrl)).text());
  return samples.filter((sample) => sample.name === name).reduce((sum, sample) => sum + sample.value, 0);
}

async function main(): Promise<void> {
  const o = parseFlags(process.argv.slice(2), DEFAULTS);
  const database = await createFreshDatabase('slow-clients', testServerUrl());
  let stopService: (() => Promise<unknown>) | undefined;
  let failed = true;
  try {
    const service = await startAccountsAlone({ run: 'slow-clients', databaseName: database.name, serverUrl: testServerUrl(), poolSize: o.poolSize });
    stopService = service.stop;
    const port = Number(new URL(service.baseUrl).port);
    const run = randomUUID().slice(0, 6);

    console.log(`holding ${o.slow} slow keyless connections, with ${o.rate} signups/s beside them, for ${o.seconds} s...`);
    const slow = holdSlowClients(port, o.slow);
    // Let the slow clients take their places before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const outcomes = await openLoop({
      baseUrl: service.baseUrl,
      rate: o.rate,
      count: Math.round(o.rate * o.seconds),
      maxSockets: o.connections,
      timeoutMs: 10_000,
      connect: { method: 'GET', path: '/health/live', headers: {} },
      request: (n) => ({
        method: 'POST',
        path: '/v1/accounts',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${service.apiKey}` },
        body: JSON.stringify(person(run, n, 10)),
      }),
    });
    const shedDuringRun = await metric(service.metricsUrl, 'http_server_requests_shed_total');
    await slow.stop();
    let inFlightAfter = Number.NaN;
    await waitFor(
      async () => {
        inFlightAfter = await metric(service.metricsUrl, 'http_server_active_requests');
        return inFlightAfter === 0 ? true : undefined;
      },
      { timeoutMs: 5_000, what: 'the in-flight gauge to fall to 0' },
    ).catch(() => undefined);

    const statuses: Record<string, number> = {};
    const latencies: number[] = [];
    for (const outcome of outcomes) {
      const key = outcome.status === undefined ? (outcome.error ?? 'error') : String(outcome.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (outcome.status === 201) latencies.push(outcome.respondedAt! - outcome.scheduledAt);
    }
    latencies.sort((a, b) => a - b);
    const created = statuses['201'] ?? 0;
    const p99 = percentile(latencies, 99);
    const checks: [string, string, boolean][] = [
      [`>= ${(o.successRatio * 100).toFixed(1)} % of signups answered 201`, `${created}/${outcomes.length} (${((created / outcomes.length) * 100).toFixed(3)} %; ${JSON.stringify(statuses)})`, created >= o.successRatio * outcomes.length],
      [`p99 of signups < ${o.p99LimitMs} ms (from their schedule)`, `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(latencies[latencies.length - 1] ?? 0).toFixed(0)} ms`, p99 < o.p99LimitMs],
      ['in-flight gauge back to 0 once the slow clients are gone', `${inFlightAfter}`, inFlightAfter === 0],
    ];
    console.log('');
    console.log(`slow connections opened: ${slow.opened()}; what the service answered them: ${JSON.stringify(slow.answers)}; requests shed at the cap: ${shedDuringRun}`);
    const width = Math.max(...checks.map(([name]) => name.length));
    for (const [name, figures, ok] of checks) console.log(`${name.padEnd(width)}  ${ok ? 'PASS' : 'FAIL'}  ${figures}`);
    failed = checks.some(([, , ok]) => !ok);
    mkdirSync(o.reportDir, { recursive: true });
    const report = join(o.reportDir, 'slow-clients.json');
    writeFileSync(
      report,
      JSON.stringify(
        {
          kind: 'slow-clients',
          at: new Date().toISOString(),
          command: `npm run chaos:slow-clients -- ${process.argv.slice(2).join(' ')}`.trim(),
          options: o,
          slowClients: { opened: slow.opened(), answers: slow.answers },
          shed: shedDuringRun,
          signups: { offered: outcomes.length, statuses, p50: percentile(latencies, 50), p99 },
          checks: checks.map(([name, figures, ok]) => ({ name, figures, ok })),
          verdict: failed ? 'FAIL' : 'PASS',
        },
        null,
        2,
      ),
    );
    console.log(`\nreport: ${report}`);
    console.log(failed ? 'slow-clients run: FAIL' : 'slow-clients run: PASS');
  } finally {
    await stopService?.();
    await database.drop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`slow-clients run failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
