import type { Client } from 'pg';
import { Consumer, DeadLetterHeader, EventType, Topic, consumerDeclaration, deadLetterTopicName, retryTopicName } from '@platform/contracts';
import { ReadRecord, readTopic, testKafka, waitFor } from '@platform/testing';
import { waitForGroupCaughtUp } from './support/consumer-progress';
import { AccountBody, PlatformClient, platformClient, uniqueEmail } from './support/platform-client';
import { connectTo } from './support/service-database';
import { E2eStack, readStack } from './support/stack-file';

const tenantName = (accountId: string) => `tenant_${accountId.replace(/-/g, '')}`;

describe('provisioning failures over the real stack', () => {
  let stack: E2eStack;
  let platform: PlatformClient;
  let tenants: Client;
  beforeAll(async () => {
    stack = readStack();
    platform = platformClient(stack);
    tenants = await connectTo(stack, 'tenants');
  });
  afterAll(() => tenants?.end());

  const exists = async (accountId: string) => {
    const name = tenantName(accountId);
    const schema = await tenants.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
    const role = await tenants.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    return { schema: schema.rowCount === 1, role: role.rowCount === 1 };
  };

  it('retries a transient failure to the end, and compensates, dead-letters and reports a permanent one', async () => {
    const kafka = testKafka('e2e-provisioning', stack.kafkaBrokers);
    const groupId = consumerDeclaration(Consumer.Provisioning).groupId;
    // The lock below stalls every workspace in the tenants database; let earlier specs' settle first.
    await waitForGroupCaughtUp(kafka, groupId, Topic.AccountLifecycle);

    // A session holds schema public's catalog row, as a long migration altering its privileges
    // would. The tenant-role step revokes on public, waits for that row, and gives up with a lock
    // timeout (55P03): retriable, so nothing is undone and the record goes on to a retry topic.
    const blocker = await connectTo(stack, 'tenants');
    let transient: AccountBody;
    let permanent: AccountBody;
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'public' FOR UPDATE`);
      transient = await platform.signup({ email: uniqueEmail('transient'), displayName: 'Transient Tess', locale: 'en' });
      permanent = await platform.signup({ email: uniqueEmail('permanent'), displayName: 'Permanent Pat', locale: 'fr' });

      const retried = await waitFor(
        async () => {
          const records = await readTopic(kafka, retryTopicName(Topic.AccountLifecycle, groupId, 1));
          const mine = (id: string) => records.find((r) => r.key === id && r.headers.ce_type === EventType.AccountCreated);
          return mine(transient.id) && mine(permanent.id) ? [mine(transient.id)!, mine(permanent.id)!] : undefined;
        },
        { what: 'both created events in the first retry topic', timeoutMs: 20_000 },
      );
      for (const record of retried) expect(record.headers[DeadLetterHeader.ErrorCode]).toBe('TENANT_DB_CONTENTION');
      // Retriable: the schema made before the blocked step stays.
      expect(await exists(transient.id)).toEqual({ schema: true, role: false });

      // For the second account, someone left a settings table of another shape in its schema: the
      // seed's ON CONFLICT (key) has no unique key to use, which no retry can change (42P10).
      await tenants.query(`CREATE SCHEMA IF NOT EXISTS "${tenantName(permanent.id)}"`);
      await tenants.query(`CREATE TABLE "${tenantName(permanent.id)}".settings (key text, value jsonb)`);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }

    // Transient: the retry topic's delay passes, the steps run again and finish.
    const finished = await waitFor(
      async () => {
        const account = await platform.account(transient.id);
        return account.provisioningStatus === 'provisioned' ? account : undefined;
      },
      { what: 'the retried provisioning to complete', timeoutMs: 20_000 },
    );
    expect(finished).toMatchObject({ status: 'active', workspaceSchema: tenantName(transient.id) });
    expect(await exists(transient.id)).toEqual({ schema: true, role: true });

    // Permanent: a failed event reaches accounts...
    const failed = await waitFor(
      async () => {
        const account = await platform.account(permanent.id);
        return account.provisioningStatus === 'failed' ? account : undefined;
      },
      { what: 'the provisioning failure to reach accounts', timeoutMs: 20_000 },
    );
    expect(failed).toMatchObject({ status: 'pending', workspaceSchema: null });
    const results = await readTopic(kafka, Topic.ProvisioningResults);
    const failure = results.find((r) => r.key === permanent.id && r.headers.ce_type === EventType.ProvisioningFailed);
    expect(JSON.parse(failure!.value!.toString('utf8'))).toMatchObject({ step: 'create-default-objects', errorCode: 'TENANT_DB_REJECTED' });
    expect(results.filter((r) => r.key === permanent.id)).toHaveLength(1);

    // ...the steps that had run are undone, the conflicting table with them...
    expect(await exists(permanent.id)).toEqual({ schema: false, role: false });

    // ...and the created event is dead-lettered with the step's error.
    const dead: ReadRecord = await waitFor(
      async () => (await readTopic(kafka, deadLetterTopicName(Topic.AccountLifecycle, groupId))).find((r) => r.key === permanent.id),
      { what: 'the dead letter of the permanently failing account' },
    );
    expect(dead.headers).toMatchObject({
      [DeadLetterHeader.ErrorCode]: 'TENANT_DB_REJECTED',
      [DeadLetterHeader.ErrorClass]: 'StepFailedError',
      [DeadLetterHeader.OriginalTopic]: Topic.AccountLifecycle,
      ce_type: EventType.AccountCreated,
    });
  });
});
