import type { Admin, Kafka } from 'kafkajs';
import { DeadLetterHeader } from '@platform/contracts';
import { testKafka, waitFor } from '@platform/testing';
import { auditRecords, createTopics, deleteGroupsOf, deadLetterOf, produce, signup, testCatalog, testConsumer, topicsOf } from '../../test/ops-fixtures';
import { opsJson, startOps } from '../../test/ops-process';
import { TopicCollector } from '../../test/topic-collector';

const RECORDS = 100;
const RATE = 50;
/**
 * The paced run's records: 4 s at RATE, so the closing commit (its records are visible only once
 * it is acknowledged, and a busy broker can take a few hundred ms over it) weighs under 10 %.
 */
const PACED_RECORDS = 200;
const PARTITIONS = 3;

/** Records per second: the slope of a least-squares line through the records' timestamps. */
function ratePerSecond(timestamps: number[]): number {
  const times = [...timestamps].sort((a, b) => a - b);
  const n = times.length;
  const meanIndex = (n - 1) / 2;
  const meanTime = times.reduce((sum, t) => sum + t, 0) / n;
  let covariance = 0;
  let variance = 0;
  times.forEach((t, i) => {
    covariance += (t - meanTime) * (i - meanIndex);
    variance += (t - meanTime) ** 2;
  });
  return (covariance / variance) * 1000;
}

// Two consumers with 100 dead letters each: one for the rate, one to interrupt twice.
const paced = testConsumer('paced');
const interrupted = testConsumer('interrupted');
const catalog = testCatalog([paced, interrupted]);

describe('ops dlt replay over the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topics: string[] = [];
  let collector: TopicCollector;

  beforeAll(async () => {
    kafka = testKafka('ops-replay-it');
    admin = kafka.admin();
    await admin.connect();
    topics = await createTopics(admin, catalog, PARTITIONS);
    for (const [consumer, count] of [[paced, PACED_RECORDS], [interrupted, RECORDS]] as const) {
      await produce(kafka, topicsOf(consumer).deadLetter, Array.from({ length: count }, () => deadLetterOf(signup(), { groupId: consumer.groupId })));
    }
    collector = new TopicCollector(kafka, [topicsOf(paced).retries[0], topicsOf(interrupted).retries[0]]);
    await collector.start();
  });

  afterAll(async () => {
    await collector?.stop();
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    if (admin) await deleteGroupsOf(admin, catalog);
    await admin?.disconnect();
  });

  it('holds --rate within 10% and ends with a summary', async () => {
    const { status, body } = await opsJson<{ counts: Record<string, number>; publishRate: number; stoppedBy: string }>(catalog, [
      'dlt',
      'replay',
      paced.name,
      '--rate',
      `${RATE}/s`,
      '--execute',
    ]);
    expect(status).toBe(0);
    expect(body).toMatchObject({ counts: { examined: PACED_RECORDS, published: PACED_RECORDS, skipped: 0, refused: 0 }, stoppedBy: 'complete' });
    const replayed = await waitFor(() => collector.on(topicsOf(paced).retries[0]).length >= PACED_RECORDS && collector.on(topicsOf(paced).retries[0]), {
      timeoutMs: 30_000,
      what: 'the paced replay on the retry topic',
    });
    // The records' own timestamps (set as each was published) give the rate the broker saw: the
    // slope of a least-squares line through them, which one late record on a busy machine barely moves.
    const observed = ratePerSecond(replayed.map((r) => r.timestamp));
    const rates = { observed: Math.round(observed * 10) / 10, reported: body.publishRate };
    const within = (rate: number) => rate >= RATE * 0.9 && rate <= RATE * 1.1;
    // One assertion, so a failure shows both rates.
    expect({ ...rates, withinTenPercent: within(rates.observed) && within(rates.reported) }).toEqual({ ...rates, withinTenPercent: true });
  });

  it('publishes every record exactly once across a killed run, an interrupted run and the run that finishes', async () => {
    const { retries, deadLetter } = topicsOf(interrupted);
    const arrived = () => collector.on(retries[0]).length;
    const replay = ['dlt', 'replay', interrupted.name, '--rate', `${RATE}`, '--execute'];

    // Killed without warning mid-way: whatever it had not committed is aborted by the next run.
    const killed = startOps(catalog, replay);
    await waitFor(() => arrived() >= 20, { timeoutMs: 30_000, what: 'the first run to publish 20 records' });
    killed.child.kill('SIGKILL');
    await killed.done;

    // Interrupted politely: it finishes the records in hand, commits, and says so.
    const stopped = startOps(catalog, ['--json', ...replay]);
    await waitFor(() => arrived() >= 50, { timeoutMs: 30_000, what: 'the second run to reach 50 records' });
    stopped.child.kill('SIGINT');
    const second = await stopped.done;
    expect(second.status).toBe(130);
    expect(JSON.parse(second.stdout)).toMatchObject({ mode: 'resume', stoppedBy: 'interrupted' });

    const last = await opsJson<{ mode: string; run: string; counts: Record<string, number>; stoppedBy: string }>(catalog, ['dlt', 'replay', interrupted.name, '--execute']);
    expect(last.status).toBe(0);
    expect(last.body).toMatchObject({ mode: 'resume', stoppedBy: 'complete' });

    await waitFor(() => arrived() >= RECORDS, { timeoutMs: 30_000, what: 'all records on the retry topic' });
    // Long enough for a stray duplicate to show up behind the last record.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const copies = collector.on(retries[0]);
    const sources = copies.map((r) => r.headers[DeadLetterHeader.ReplayedFrom]);
    expect(copies).toHaveLength(RECORDS);
    expect(new Set(sources).size).toBe(RECORDS);
    for (const source of sources) expect(source.startsWith(`${deadLetter}:`)).toBe(true);
    // All three runs were one run of one job: the same replay id on every copy.
    expect(new Set(copies.map((r) => r.headers[DeadLetterHeader.ReplayId]))).toEqual(new Set([last.body.run]));
    expect(new Set(copies.map((r) => r.headers[DeadLetterHeader.ReplayCount]))).toEqual(new Set(['1']));

    const again = await opsJson<{ mode: string }>(catalog, ['dlt', 'replay', interrupted.name, '--execute']);
    expect(again.body.mode).toBe('complete');

    const audit = (await auditRecords(kafka, catalog)).filter((r) => r.consumer === interrupted.name);
    // The killed run left its "started" record; the others their "finished" ones too.
    expect(audit.map((r) => `${r.phase}:${r.result ?? ''}`)).toEqual(['started:', 'started:', 'finished:interrupted', 'started:', 'finished:ok']);
  });
});
