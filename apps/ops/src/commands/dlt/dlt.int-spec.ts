import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { DeadLetterHeader } from '@platform/contracts';
import { testKafka } from '@platform/testing';
import { MASK } from '../../records/masking';
import type { DeadLetterView } from '../../records/dead-letter-view';
import { auditRecords, createTopics, deadLetterOf, produce, signup, testCatalog, testConsumer, topicsOf } from '../../test/ops-fixtures';
import { ops, opsJson } from '../../test/ops-process';

// One consumer's dead-letter topic, filled once; the commands that only read run first, purge last.
const consumer = testConsumer('dlt');
const catalog = testCatalog([consumer]);
const { deadLetter, retries } = topicsOf(consumer);
const alice = signup({ email: 'alice@example.com' });
const bob = signup({ email: 'bob@example.com' });
const carol = signup({ email: 'carol@example.com' });
const looping = signup();

describe('ops dlt over the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topics: string[] = [];

  beforeAll(async () => {
    kafka = testKafka('ops-dlt-it');
    admin = kafka.admin();
    await admin.connect();
    topics = await createTopics(admin, catalog, 2);
    await produce(kafka, deadLetter, [
      deadLetterOf(alice),
      deadLetterOf(bob, { errorCode: 'SMTP_TIMEOUT', errorMessage: 'connect ETIMEDOUT 10.1.2.3:25' }),
      deadLetterOf(carol),
      deadLetterOf(looping, { replayCount: 3 }),
      { key: 'poison', value: Buffer.from('not json {'), headers: { [DeadLetterHeader.ErrorCode]: 'EVENT_HEADER_MISSING' } },
    ]);
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('lists each dead-letter topic with its count, oldest and newest, and top error codes', async () => {
    const { status, body } = await opsJson<{ deadLetterTopics: Record<string, unknown>[] }>(catalog, ['dlt', 'list']);
    expect(status).toBe(0);
    expect(body.deadLetterTopics).toEqual([
      expect.objectContaining({
        consumer: consumer.name,
        topic: deadLetter,
        records: 5,
        oldest: expect.any(String),
        newest: expect.any(String),
        topErrors: [
          { code: 'SMTP_REJECTED', count: 3 },
          { code: 'EVENT_HEADER_MISSING', count: 1 },
          { code: 'SMTP_TIMEOUT', count: 1 },
        ],
      }),
    ]);
  });

  it('shows dead letters decoded with their error headers, personal data masked', async () => {
    const { status, body } = await opsJson<{ masked: boolean; records: DeadLetterView[] }>(catalog, ['dlt', 'show', consumer.name]);
    expect(status).toBe(0);
    expect(body.masked).toBe(true);
    expect(body.records).toHaveLength(5);
    const shownAlice = body.records.find((r) => r.eventId === alice.id)!;
    expect(shownAlice).toMatchObject({
      topic: deadLetter,
      key: alice.subject,
      eventType: alice.type,
      error: { code: 'SMTP_REJECTED', class: 'PermanentError', message: `550 mailbox ${MASK}@${MASK} rejected` },
      event: { subject: alice.subject, data: { accountId: alice.subject, email: MASK, displayName: MASK, signupContext: { ip: MASK, userAgent: MASK }, plan: 'free' } },
      replayCount: 0,
    });
    const poison = body.records.find((r) => r.key === 'poison')!;
    expect(poison.undecodable).toMatch(/ce_specversion/);
    expect(poison.raw).toMatch(/^\*\*\* \(10 bytes/);
    expect(JSON.stringify(body)).not.toMatch(/alice@example\.com|10\.1\.2\.3|203\.0\.113\.7/);

    const human = await ops(catalog, ['dlt', 'show', consumer.name, '--limit', '2']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('2 dead letter(s)');
    expect(human.stdout).toContain('personal data masked');
  });

  it('filters by key, type, error code and time', async () => {
    const byError = await opsJson<{ records: { eventId: string }[] }>(catalog, ['dlt', 'show', consumer.name, '--error', 'SMTP_TIMEOUT']);
    expect(byError.body.records.map((r) => r.eventId)).toEqual([bob.id]);
    const byKey = await opsJson<{ records: { eventId: string }[] }>(catalog, ['dlt', 'show', consumer.name, '--key', `${carol.subject},${alice.subject}`, '--type', alice.type]);
    expect(byKey.body.records.map((r) => r.eventId).sort()).toEqual([alice.id, carol.id].sort());
    const future = await opsJson<{ records: unknown[] }>(catalog, ['dlt', 'show', consumer.name, '--since', new Date(Date.now() + 60_000).toISOString()]);
    expect(future.body.records).toEqual([]);
    const badTime = await ops(catalog, ['dlt', 'show', consumer.name, '--since', 'yesterday']);
    expect(badTime.status).toBe(2);
  });

  it('reveals personal data only with --reveal, after writing an audit record', async () => {
    const { status, body } = await opsJson<{ masked: boolean; records: DeadLetterView[]; audit: Record<string, unknown>[] }>(catalog, [
      '--operator',
      'sre-on-call',
      'dlt',
      'show',
      consumer.name,
      '--key',
      alice.subject,
      '--reveal',
    ]);
    expect(status).toBe(0);
    expect(body.masked).toBe(false);
    expect((body.records[0].event?.data as { email: string }).email).toBe('alice@example.com');
    expect(body.records[0].error.message).toBe('550 mailbox alice@example.com rejected');
    const written = (await auditRecords(kafka, catalog)).filter((r) => r.phase === 'revealed');
    expect(written).toEqual([
      expect.objectContaining({ operator: 'sre-on-call', command: 'dlt show --reveal', consumer: consumer.name, options: { key: alice.subject, limit: 20 }, counts: { records: 1 } }),
    ]);
    expect(body.audit).toEqual(written);
  });

  it('dry-runs a replay: per partition what would be published, the loop guard refusing, nothing written', async () => {
    const refused = await ops(catalog, ['dlt', 'replay', consumer.name]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--dry-run.*--execute/);

    const { status, body } = await opsJson<{ totals: Record<string, number>; partitions: unknown[]; destinations: Record<string, string> }>(catalog, ['dlt', 'replay', consumer.name, '--dry-run']);
    expect(status).toBe(0);
    expect(body.totals).toEqual({ records: 5, wouldPublish: 4, skipped: 0, refused: 1 });
    expect(body.partitions).toHaveLength(2);
    expect(body.destinations).toEqual({ [deadLetter]: retries[0] });
    const onRetry = await admin.fetchTopicOffsets(retries[0]);
    expect(onRetry.every((p) => p.high === '0')).toBe(true);
  });

  it('purges dead letters older than a time only with --execute and the consumer named back, audited', async () => {
    const before = new Date(Date.now() + 1_000).toISOString();
    expect((await ops(catalog, ['dlt', 'purge', consumer.name, '--before', before, '--execute'])).status).toBe(2);
    expect((await ops(catalog, ['dlt', 'purge', consumer.name, '--before', before, '--execute', '--confirm', 'someone-else'])).status).toBe(2);

    const dry = await opsJson<{ records: number; purged: boolean }>(catalog, ['dlt', 'purge', consumer.name, '--before', before, '--dry-run']);
    expect(dry.body).toMatchObject({ records: 5, purged: false });

    const operationId = randomUUID();
    const done = await opsJson<{ records: number; purged: boolean; audit: Record<string, unknown>[] }>(catalog, [
      '--operator',
      operationId,
      'dlt',
      'purge',
      consumer.name,
      '--before',
      before,
      '--execute',
      '--confirm',
      consumer.name,
    ]);
    expect(done.status).toBe(0);
    expect(done.body).toMatchObject({ records: 5, purged: true });
    expect(done.body.audit.map((a) => [a.phase, a.result])).toEqual([
      ['started', undefined],
      ['finished', 'ok'],
    ]);
    const offsets = await admin.fetchTopicOffsets(deadLetter);
    expect(offsets.every((p) => p.low === p.high)).toBe(true);
    const audited = (await auditRecords(kafka, catalog)).filter((r) => r.operator === operationId);
    expect(audited.map((r) => r.phase)).toEqual(['started', 'finished']);
    expect(audited[1]).toMatchObject({ command: 'dlt purge', consumer: consumer.name, counts: { records: 5 }, result: 'ok' });

    const list = await opsJson<{ deadLetterTopics: { records: number }[] }>(catalog, ['dlt', 'list']);
    expect(list.body.deadLetterTopics[0].records).toBe(0);
  });

  it('answers an unknown consumer with a usage error naming the declared ones', async () => {
    const run = await opsJson<{ error: string; exitCode: number }>(catalog, ['dlt', 'show', 'nope']);
    expect(run.status).toBe(2);
    expect(run.body).toEqual({ error: expect.stringContaining(consumer.name), exitCode: 2 });
  });
});
