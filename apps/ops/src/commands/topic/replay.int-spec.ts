import type { Admin, Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { DeadLetterHeader, encodeEnvelope } from '@platform/contracts';
import { FreshDatabase, createFreshDatabase, readTopic, testKafka, waitFor } from '@platform/testing';
import { createTopics, deleteGroupsOf, produce, signup, testCatalog, testConsumer, topicsOf } from '../../test/ops-fixtures';
import { ops, opsJson } from '../../test/ops-process';
import { RecordingConsumer, startRecordingConsumer } from '../../test/recording-consumer';
import type { GroupReport } from '../../groups/group-report';

// Two real consumers in their own groups on one shared source topic: what the CLI replays for
// one must reach that one only. The second reads the same topic, so the first's topics are
// derived from the same source.
const chosen = testConsumer('chosen');
const bystander = { ...testConsumer('bystander'), topics: chosen.topics };
const catalog = testCatalog([chosen, bystander]);
const source = chosen.topics[0];

describe('replays reach only the named consumer, over real consumers', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topics: string[] = [];
  let database: FreshDatabase;
  let pool: Pool;
  let a: RecordingConsumer;
  let b: RecordingConsumer;

  /** Every topic the bystander reads or writes, with its end offsets. */
  const bystanderEnds = async () => {
    const ends: Record<string, string[]> = {};
    for (const topic of [source, ...topicsOf(bystander).all]) ends[topic] = (await admin.fetchTopicOffsets(topic)).map((o) => o.high);
    return ends;
  };
  /** Resolves once the group has committed everything on its topics. */
  const caughtUp = (name: string) =>
    waitFor(
      async () => {
        const { body } = await opsJson<{ groups: GroupReport[] }>(catalog, ['groups', name]);
        return body.groups[0].state === 'Stable' && body.groups[0].totalLag === 0;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: `${name} to catch up` },
    );

  beforeAll(async () => {
    kafka = testKafka('ops-isolation-it');
    admin = kafka.admin();
    await admin.connect();
    [topics, database] = await Promise.all([createTopics(admin, catalog, 2), createFreshDatabase('ops_replay_it')]);
    pool = new Pool({ connectionString: database.url, max: 4 });
    [a, b] = await Promise.all([startRecordingConsumer(chosen, pool, 'chosen_inbox'), startRecordingConsumer(bystander, pool, 'bystander_inbox')]);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await pool?.end();
    await database?.drop();
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    if (admin) await deleteGroupsOf(admin, catalog);
    await admin?.disconnect();
  });

  it('replays a dead letter to its consumer alone, and the consumer processes it', async () => {
    const broken = signup();
    const fine = signup();
    a.recorder.failing.add(broken.subject);
    await produce(kafka, source, [encodeEnvelope(broken), encodeEnvelope(fine)]);
    await waitFor(() => a.recorder.callsFor(fine.id).length === 1 && b.recorder.calls.length === 2, { timeoutMs: 30_000, what: 'both consumers to see both events' });
    await waitFor(async () => (await admin.fetchTopicOffsets(topicsOf(chosen).deadLetter)).some((o) => o.high !== '0'), { timeoutMs: 15_000, what: 'the dead letter' });

    const before = await bystanderEnds();
    a.recorder.failing.clear();
    const { status, body } = await opsJson<{ counts: Record<string, number> }>(catalog, ['dlt', 'replay', chosen.name, '--execute']);
    expect(status).toBe(0);
    expect(body.counts).toMatchObject({ published: 1, refused: 0 });

    await waitFor(() => a.recorder.callsFor(broken.id).some((c) => !c.failed), { timeoutMs: 30_000, what: 'the chosen consumer to process the replayed event' });
    expect(a.recorder.callsFor(broken.id).map((c) => [c.topic, c.failed])).toEqual([
      [source, true],
      [topicsOf(chosen).retries[0], false],
    ]);
    await caughtUp(chosen.name);
    await caughtUp(bystander.name);
    expect(b.recorder.calls).toHaveLength(2);
    expect(await bystanderEnds()).toEqual(before);

    const { body: groups } = await opsJson<{ groups: GroupReport[] }>(catalog, ['groups']);
    expect(groups.groups.map((g) => [g.consumer, g.state, g.members.length])).toEqual([
      [chosen.name, 'Stable', 1],
      [bystander.name, 'Stable', 1],
    ]);
    const chosenGroup = groups.groups[0];
    expect(chosenGroup.partitions.map((p) => `${p.topic}:${p.partition}`)).toEqual([`${source}:0`, `${source}:1`, `${topicsOf(chosen).retries[0]}:0`, `${topicsOf(chosen).retries[0]}:1`]);
    expect(chosenGroup.partitions.every((p) => p.owner !== undefined && p.lag === 0)).toBe(true);

    // A group nobody declared, with an offset on one partition and no members: only --all shows
    // it, after the declared ones, with the partitions of the topic it committed on.
    const stray = `ops-stray-${Date.now()}`;
    await admin.setOffsets({ groupId: stray, topic: source, partitions: [{ partition: 0, offset: '0' }] });
    try {
      const { body: all } = await opsJson<{ groups: GroupReport[] }>(catalog, ['groups', '--all']);
      expect(all.groups.slice(0, 2).map((g) => g.consumer)).toEqual([chosen.name, bystander.name]);
      const ends = (await admin.fetchTopicOffsets(source)).sort((x, y) => x.partition - y.partition);
      expect(all.groups.find((g) => g.groupId === stray)).toEqual({
        groupId: stray,
        state: 'Empty',
        members: [],
        partitions: [
          { topic: source, partition: 0, committed: '0', end: ends[0].high, lag: Number(ends[0].high) },
          { topic: source, partition: 1, end: ends[1].high, lag: Number(ends[1].high) - Number(ends[1].low) },
        ],
        totalLag: Number(ends[0].high) + Number(ends[1].high) - Number(ends[1].low),
      });
      expect((await opsJson<{ groups: GroupReport[] }>(catalog, ['groups'])).body.groups.some((g) => g.groupId === stray)).toBe(false);
    } finally {
      await admin.deleteGroups([stray]).catch(() => undefined);
    }
  });

  it('reprocesses a range of the source topic for one group, even events it processed, and can leave those to its inbox', async () => {
    const before = await bystanderEnds();
    const callsBefore = a.recorder.calls.length;
    const onSource = Number((await admin.fetchTopicOffsets(source)).reduce((sum, o) => sum + Number(o.high), 0));

    const dry = await opsJson<{ partitions: { records: number }[]; totals: { records: number } }>(catalog, ['topic', 'replay', chosen.name, '--from', '0', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.body.partitions).toHaveLength(2);
    expect(dry.body.totals.records).toBe(onSource);

    const run = await opsJson<{ counts: Record<string, number>; run: string }>(catalog, ['topic', 'replay', chosen.name, '--from', '0', '--execute']);
    expect(run.status).toBe(0);
    expect(run.body.counts.published).toBe(onSource);
    await waitFor(() => a.recorder.calls.length === callsBefore + onSource, { timeoutMs: 30_000, what: 'the chosen consumer to handle every event again' });

    // The same range again is the same job, already done: nothing is published twice.
    const again = await opsJson<{ mode: string }>(catalog, ['topic', 'replay', chosen.name, '--from', '0', '--execute']);
    expect(again.body.mode).toBe('complete');

    // Leaving deduplication on, the consumer's inbox skips what it processed.
    const skipping = await opsJson<{ counts: Record<string, number> }>(catalog, ['topic', 'replay', chosen.name, '--from', '0', '--skip-processed', '--execute']);
    expect(skipping.body.counts.published).toBe(onSource);
    await caughtUp(chosen.name);
    expect(a.recorder.calls.length).toBe(callsBefore + onSource);

    await caughtUp(bystander.name);
    expect(b.recorder.calls).toHaveLength(2);
    expect(await bystanderEnds()).toEqual(before);
  });

  it('stops a record that keeps failing with the loop guard', async () => {
    const hopeless = signup();
    a.recorder.failing.add(hopeless.subject);
    const deadLetters = async () => (await readTopic(kafka, topicsOf(chosen).deadLetter)).filter((r) => r.key === hopeless.subject);
    await produce(kafka, source, [encodeEnvelope(hopeless)]);
    await waitFor(async () => (await deadLetters()).length === 1, { timeoutMs: 30_000, what: 'the first dead letter' });

    const replay = ['dlt', 'replay', chosen.name, '--key', hopeless.subject, '--execute'];
    const env = { OPS_MAX_REPLAYS: '2' };
    for (let round = 1; round <= 2; round += 1) {
      const { status, body } = await opsJson<{ counts: Record<string, number> }>(catalog, replay, env);
      expect(status).toBe(0);
      expect(body.counts).toMatchObject({ published: 1, refused: 0 });
      await waitFor(async () => (await deadLetters()).length === round + 1, { timeoutMs: 30_000, what: `dead letter ${round + 1}` });
    }
    const refused = await ops(catalog, replay, env);
    expect(refused.status).toBe(3);
    expect(refused.stdout).toMatch(/refused 1 by the loop guard/);

    expect((await deadLetters()).map((r) => r.headers[DeadLetterHeader.ReplayCount] ?? '0')).toEqual(['0', '1', '2']);
    expect(a.recorder.callsFor(hopeless.id).map((c) => c.failed)).toEqual([true, true, true]);
  });
});
