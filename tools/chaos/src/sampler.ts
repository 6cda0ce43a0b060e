import type { Platform } from './platform';
import { sleep } from './sleep';
import type { TimelineSample } from './timeline';

export interface Sampler {
  /** One per second from the start: signups created and retried in it, consumer lag, outbox backlog. */
  readonly samples: TimelineSample[];
  /** Counts one answer to a signup request in the current second. */
  countResponse(status: number | 'network'): void;
  /** Stops after the sample in progress. */
  stop(): Promise<void>;
}

/** Samples the platform once a second, timed from t0 (when the load starts), for the timeline. */
export function startSampler(platform: Platform, t0: number): Sampler {
  const samples: TimelineSample[] = [];
  let createdThisSecond = 0;
  let retriedThisSecond = 0;
  const sinceStart = () => (Date.now() - t0) / 1000;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const tick = Date.now();
      const [lag, outbox] = await Promise.all([
        platform.consumerLag(),
        platform.query<{ n: string }>('accounts', 'SELECT count(*) AS n FROM accounts.outbox').then((r) => Number(r[0].n)).catch(() => null),
      ]);
      samples.push({ t: sinceStart(), created: createdThisSecond, retried: retriedThisSecond, lag: lag ? Object.values(lag).reduce((a, b) => a + b, 0) : null, lagByGroup: lag ?? null, outbox });
      createdThisSecond = 0;
      retriedThisSecond = 0;
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
  })();
  return {
    samples,
    countResponse: (status) => (status === 201 ? createdThisSecond++ : retriedThisSecond++),
    stop: async () => {
      sampling = false;
      await sampler;
    },
  };
}
