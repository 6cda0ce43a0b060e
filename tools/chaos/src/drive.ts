import type { ScratchServer } from '@platform/testing';
import { log } from './chaos-log';
import type { ChaosOptions } from './chaos-options';
import { FaultResult, PlannedFault, PoisonRecord, poisonRecords, runFault } from './faults';
import type { Platform } from './platform';
import type { Sampler } from './sampler';
import { Rng } from './seeded';
import { SignupOutcome, person, signUp } from './signups';
import { sleep } from './sleep';

export interface Drive {
  readonly outcomes: SignupOutcome[];
  readonly faults: FaultResult[];
  /** The poison records the poison fault produced (or was to produce). */
  readonly poison: PoisonRecord[];
  readonly loadSeconds: number;
}

/**
 * Signs up --signups people at --rate per second from t0 through the real API, each retried by
 * its client until answered, while the planned faults are injected at their times; returns once
 * every signup is answered and every fault is done.
 */
export async function driveSignupsUnderFaults(
  { platform, scratch, o, rng, planned, sampler, t0 }: { platform: Platform; scratch?: ScratchServer; o: ChaosOptions; rng: Rng; planned: PlannedFault[]; sampler: Sampler; t0: number },
): Promise<Drive> {
  const outcomes: SignupOutcome[] = [];
  const poison = poisonRecords();
  const results: FaultResult[] = planned.map((f) => ({ ...f, ok: false, detail: 'not run' }));
  const faultsDone = Promise.all(results.map((fault) => runFault(fault, { platform, scratch, pgRestartCommand: o.pgRestartCommand, poison, t0 })));

  const pending: Promise<void>[] = [];
  for (let n = 0; n < o.signups; n++) {
    await sleep(Math.max(0, t0 + (n * 1000) / o.rate - Date.now()));
    pending.push(
      signUp(n, person(platform.run, n), {
        baseUrl: platform.accountsUrl,
        apiKey: platform.apiKey,
        requestTimeoutMs: 10_000,
        giveUpAfterMs: 180_000,
        rng,
        onResponse: (status) => sampler.countResponse(status),
      }).then((outcome) => void outcomes.push(outcome)),
    );
    if (n > 0 && n % Math.max(1, Math.round(o.signups / 10)) === 0) log(`${n} signups sent`);
  }
  await Promise.all(pending);
  const loadSeconds = (Date.now() - t0) / 1000;
  log(`every signup answered (${outcomes.filter((x) => x.status === 201).length} x 201) after ${loadSeconds.toFixed(1)} s; waiting for the faults to finish`);
  await faultsDone;
  return { outcomes, faults: results, poison, loadSeconds };
}
