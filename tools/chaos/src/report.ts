import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChaosOptions } from './chaos-options';
import type { Drive } from './drive';
import type { Check } from './invariants';
import type { Settle } from './settle';
import { TimelineFault, TimelineSample, timelineHtml } from './timeline';

export interface RunRecord {
  readonly o: ChaosOptions;
  readonly seed: number;
  readonly startedAt: Date;
  /** Faults left out of the schedule, and why. */
  readonly skipped: string[];
  readonly drive: Drive;
  readonly settle: Settle;
  readonly checks: Check[];
  readonly samples: TimelineSample[];
}

/** Prints the signups, faults and invariants, writes report.json and timeline.html; returns whether any invariant failed. */
export function report({ o, seed, startedAt, skipped, drive: { outcomes, faults, loadSeconds }, settle, checks, samples }: RunRecord): boolean {
  const created = outcomes.filter((x) => x.status === 201);
  const retries = outcomes.reduce<Record<string, number>>((acc, x) => {
    for (const [k, v] of Object.entries(x.retried)) acc[k] = (acc[k] ?? 0) + v;
    return acc;
  }, {});
  const durations = created.map((x) => x.finishedAt! - x.startedAt).sort((a, b) => a - b);
  const pct = (p: number) => durations[Math.min(durations.length - 1, Math.max(0, Math.ceil((p / 100) * durations.length) - 1))] ?? NaN;
  console.log('');
  console.log(`signups: ${created.length} created in ${loadSeconds.toFixed(1)} s; retried responses ${JSON.stringify(retries)}; time to 201 p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${durations[durations.length - 1]} ms`);
  console.log('faults:');
  for (const f of faults) console.log(`  ${((f.startedAtMs ?? f.atMs) / 1000).toFixed(1).padStart(7)}-${((f.endedAtMs ?? 0) / 1000).toFixed(1).padEnd(7)} s  ${f.ok ? 'ok  ' : 'FAIL'}  ${f.label}: ${f.detail}`);
  for (const s of skipped) console.log(`        -          skip  ${s}`);
  console.log('');
  const width = Math.max(...checks.map((c) => c.name.length));
  console.log(`${'invariant'.padEnd(width)}  verdict  count`);
  for (const c of checks) console.log(`${c.name.padEnd(width)}  ${c.ok ? 'PASS   ' : 'FAIL   '}  ${c.count}`);
  const failed = checks.some((c) => !c.ok);

  mkdirSync(o.reportDir, { recursive: true });
  const report = {
    kind: 'chaos',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run chaos -- ${process.argv.slice(2).join(' ')}`.trim(),
    seed,
    options: o,
    verdict: failed ? 'FAIL' : 'PASS',
    signups: { requested: o.signups, created: created.length, loadSeconds, retries, timeTo201Ms: { p50: pct(50), p99: pct(99), max: durations[durations.length - 1] } },
    faults,
    skipped,
    settledAfterMs: settle.settledAfterMs,
    invariants: checks,
    timeline: samples,
  };
  writeFileSync(join(o.reportDir, 'report.json'), JSON.stringify(report, null, 2));
  const faultsForTimeline: TimelineFault[] = faults.map((f) => ({ label: f.label, from: (f.startedAtMs ?? f.atMs) / 1000, to: Math.max((f.endedAtMs ?? f.atMs) / 1000, (f.startedAtMs ?? f.atMs) / 1000 + 0.5), ok: f.ok }));
  writeFileSync(
    join(o.reportDir, 'timeline.html'),
    timelineHtml(`Chaos run ${startedAt.toISOString()} — seed ${seed} — ${failed ? 'FAIL' : 'PASS'}`, samples, faultsForTimeline, checks.map((c) => [c.name, c.count, c.ok ? 'PASS' : 'FAIL'])),
  );
  console.log(`\nreport: ${join(o.reportDir, 'report.json')}, timeline: ${join(o.reportDir, 'timeline.html')}`);
  console.log(failed ? 'chaos run: FAIL' : 'chaos run: PASS');
  return failed;
}
