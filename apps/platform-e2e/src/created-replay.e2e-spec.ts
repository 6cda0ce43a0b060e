import { CONSUMERS, DeadLetterHeader, EventType, Topic } from '@platform/contracts';
import { readTopic, testKafka, waitFor } from '@platform/testing';
import { waitForGroupPast } from './support/consumer-progress';
import { PlatformClient, platformClient, uniqueEmail } from './support/platform-client';
import { connectTo } from './support/service-database';
import { E2eStack, readStack } from './support/stack-file';

describe('a replayed account.created.v1 over the real stack', () => {
  let stack: E2eStack;
  let platform: PlatformClient;
  beforeAll(() => {
    stack = readStack();
    platform = platformClient(stack);
  });

  it('changes nothing: no second mail, workspace or verdict', async () => {
    const kafka = testKafka('e2e-replay', stack.kafkaBrokers);
    const created = await platform.signup({ email: uniqueEmail('replayed'), displayName: 'Replayed Rosa', locale: 'es' });
    const settled = await waitFor(
      async () => {
        const account = await platform.account(created.id);
        return account.status === 'active' && account.abuseVerdict !== null ? account : undefined;
      },
      { what: 'verdict and provisioning to reach accounts' },
    );
    await waitFor(async () => (await platform.mailsTo(created.email)).length === 1, { what: 'the welcome mail' });

    // The tenant has changed its workspace since; a second provisioning must not undo that.
    const tenants = await connectTo(stack, 'tenants');
    const schema = settled.workspaceSchema!;
    try {
      await tenants.query(`UPDATE "${schema}".settings SET value = '"America/Bogota"' WHERE key = 'timezone'`);

      const original = (await readTopic(kafka, Topic.AccountLifecycle)).find((r) => r.key === created.id && r.headers.ce_type === EventType.AccountCreated)!;
      const producer = kafka.producer();
      await producer.connect();
      const [sent] = await producer.send({
        topic: Topic.AccountLifecycle,
        messages: [{ key: original.key, value: original.value, headers: { ...original.headers, [DeadLetterHeader.ReplayCount]: '1' } }],
      });
      await producer.disconnect();
      const replayedOffset = (BigInt(sent.baseOffset!)).toString();

      // Every consumer of the topic has settled the copy.
      const readers = CONSUMERS.filter((c) => c.topics.includes(Topic.AccountLifecycle));
      await Promise.all(readers.map((c) => waitForGroupPast(kafka, c.groupId, Topic.AccountLifecycle, sent.partition, replayedOffset)));

      expect(await platform.mailsTo(created.email)).toHaveLength(1);
      const verdicts = (await readTopic(kafka, Topic.AbuseVerdicts)).filter((r) => r.key === created.id);
      expect(verdicts).toHaveLength(1);
      const results = (await readTopic(kafka, Topic.ProvisioningResults)).filter((r) => r.key === created.id);
      expect(results.map((r) => r.headers.ce_type)).toEqual([EventType.ProvisioningCompleted]);

      const settings = await tenants.query(`SELECT key, value FROM "${schema}".settings ORDER BY key`);
      expect(settings.rows).toEqual([
        { key: 'locale', value: 'es' },
        { key: 'plan', value: 'free' },
        { key: 'timezone', value: 'America/Bogota' },
      ]);
      expect((await tenants.query('SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1', [schema])).rows[0].n).toBe(1);
    } finally {
      await tenants.end();
    }
    // Accounts saw no change either: same version, verdict and workspace.
    expect(await platform.account(created.id)).toMatchObject({ version: settled.version, abuseVerdict: settled.abuseVerdict, workspaceSchema: schema, status: 'active' });
  });
});
