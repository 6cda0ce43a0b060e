import type { Platform } from './platform';
import { sleep } from './sleep';

export interface Settle {
  /** How long after the load and faults ended the platform was quiet; undefined when it never was. */
  readonly settledAfterMs?: number;
  /** Lag and outbox as last seen, for the report when it did not settle. */
  readonly lastState: string;
}

/** Waits, up to timeoutSeconds, for every consumer group to have read everything and the outbox to be empty. */
export async function waitForSettle(platform: Platform, timeoutSeconds: number): Promise<Settle> {
  const settleStart = Date.now();
  let settledAfterMs: number | undefined;
  let lastState = '';
  let calm = 0;
  while (Date.now() - settleStart < timeoutSeconds * 1000) {
    const lag = await platform.consumerLag();
    const [db] = await platform
      .query<{ outbox: string }>('accounts', 'SELECT count(*) AS outbox FROM accounts.outbox')
      .catch(() => [undefined]);
    lastState = `lag ${JSON.stringify(lag)}, outbox ${db?.outbox}`;
    // Settled: nothing unread in any group (source and retry topics) and nothing unpublished, for 3 s running.
    const quiet = lag !== undefined && Object.values(lag).every((v) => v === 0) && db !== undefined && db.outbox === '0';
    calm = quiet ? calm + 1 : 0;
    if (calm >= 3) {
      settledAfterMs = Date.now() - settleStart;
      break;
    }
    await sleep(1000);
  }
  return { settledAfterMs, lastState };
}
