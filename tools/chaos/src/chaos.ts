/**
 * The chaos run (issue 10): the whole platform, its own databases, broker and SMTP sink, signups
 * at a steady rate through the real API while a seeded fault schedule kills and restarts every
 * process, stops the broker, restarts PostgreSQL, takes SMTP down and injects poison records;
 * then, once the platform has settled, a table of invariants with counts. Exits 1 on any
 * violation. Writes report.json and timeline.html to --report-dir (git-ignored).
 *
 *   npm run chaos                       # 10,000 signups at 25/s, every fault (restarts the local PostgreSQL)
 *   npm run chaos -- --short            # the test suite's version: 500 signups, shorter outages, a PostgreSQL server of its own (restarted)
 *   npm run chaos -- --seed 42          # the same fault schedule again
 *   options: --signups N --rate R --seed S --smtp-down-seconds --broker-down-seconds --pg-restart[=false] --postgres local|scratch
 *            --settle-timeout-seconds --kafka-port (16092) --kafka-data-dir --report-dir --keep-databases
 */
import { ChaosOptions, chaosOptions } from './chaos-options';
import { log } from './chaos-log';
import { preparePlatform, startPlatform, stopPlatform } from './chaos-platform';
import { driveSignupsUnderFaults } from './drive';
import { PlannedFault, planFaults } from './faults';
import { verifyInvariants } from './invariants';
import { report } from './report';
import { startSampler } from './sampler';
import { Rng } from './seeded';
import { waitForSettle } from './settle';

async function main(): Promise<void> {
  const o = chaosOptions();
  const seed = o.seed || Math.floor(Math.random() * 1_000_000) + 1;
  const rng = new Rng(seed);
  const driveMs = (o.signups / o.rate) * 1000;
  const { planned, skipped } = planFaults(o, rng, driveMs);
  const startedAt = new Date();
  announce(o, seed, driveMs, planned, skipped);

  const chaosPlatform = await preparePlatform(o);
  const { platform, scratch } = chaosPlatform;
  let failed = true;
  try {
    await startPlatform(chaosPlatform);
    const t0 = Date.now();
    const sampler = startSampler(platform, t0);
    const drive = await driveSignupsUnderFaults({ platform, scratch, o, rng, planned, sampler, t0 });
    const settle = await waitForSettle(platform, o.settleTimeoutSeconds);
    await sampler.stop();
    log(settle.settledAfterMs !== undefined ? `settled ${(settle.settledAfterMs / 1000).toFixed(1)} s after the load and faults ended` : `NOT settled within ${o.settleTimeoutSeconds} s: ${settle.lastState}`);
    const checks = await verifyInvariants({ platform, drive, settle, settleTimeoutSeconds: o.settleTimeoutSeconds, t0 });
    failed = report({ o, seed, startedAt, skipped, drive, settle, checks, samples: sampler.samples });
  } finally {
    await stopPlatform(chaosPlatform, o.keepDatabases);
  }
  process.exit(failed ? 1 : 0);
}

/** The run's size, seed, how to repeat it, and its fault schedule. */
function announce(o: ChaosOptions, seed: number, driveMs: number, planned: PlannedFault[], skipped: string[]): void {
  console.log(`chaos run: ${o.signups} signups at ${o.rate}/s (~${Math.round(driveMs / 1000)} s), seed ${seed}`);
  const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--seed') && all[i - 1] !== '--seed');
  console.log(`repeat with: npm run chaos -- ${[...args, '--seed', String(seed)].join(' ')}`);
  console.log('fault schedule (seconds after the load starts):');
  for (const f of planned) console.log(`  ${(f.atMs / 1000).toFixed(1).padStart(7)} s  ${f.label}`);
  for (const s of skipped) console.log(`        -    ${s}`);
}

main().catch((error) => {
  console.error(`chaos run failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
