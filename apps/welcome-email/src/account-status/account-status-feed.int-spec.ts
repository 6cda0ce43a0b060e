import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { EventType, createEnvelope, encodeEnvelope } from '@platform/contracts';
import { silentLogger } from '@platform/observability';
import { FreshDatabase, createFreshDatabase, testBrokers, testKafka, waitFor } from '@platform/testing';
import { AccountStatusFeed } from './account-status-feed';
import { AccountStatusStore } from './account-status-store';

describe('AccountStatusFeed on the broker', () => {
  const id = randomBytes(4).toString('hex');
  const topic = `it.welcome-status.${id}`;
  const groupId = `welcome-status-it-${id}`;
  const kafka = testKafka('welcome-status-it');
  const admin = kafka.admin();
  const producer = kafka.producer();
  let database: FreshDatabase;
  let pool: Pool;
  let store: AccountStatusStore;
  let feed: AccountStatusFeed;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
    await producer.connect();
    database = await createFreshDatabase('welcome_feed_it');
    pool = new Pool({ connectionString: database.url, max: 3 });
    store = new AccountStatusStore(pool, 'welcome_email');
    await store.ensureTable();
    feed = new AccountStatusFeed({
      kafka: { clientId: 'welcome-status-it', brokers: testBrokers() },
      groupId,
      topic,
      store,
      logger: silentLogger,
      onFatal: (error) => {
        throw error;
      },
    });
    await feed.start();
  });

  afterAll(async () => {
    await feed?.stop();
    await producer.disconnect();
    await pool?.end();
    await database?.drop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  });

  it('stores suspensions and closures, skipping other events and unreadable records', async () => {
    const suspended = randomUUID();
    const closed = randomUUID();
    const active = randomUUID();
    const events = [
      createEnvelope({ type: EventType.AccountActivated, source: 'urn:platform:accounts', subject: active, data: { accountId: active, activatedAt: new Date().toISOString() } }),
      createEnvelope({ type: EventType.AccountSuspended, source: 'urn:platform:accounts', subject: suspended, data: { accountId: suspended, reasons: ['blocked by abuse scan'], suspendedAt: new Date().toISOString() } }),
      createEnvelope({ type: EventType.AccountClosed, source: 'urn:platform:accounts', subject: closed, data: { accountId: closed, closedAt: new Date().toISOString() } }),
    ];
    const broken = encodeEnvelope(events[1]);
    await producer.send({
      topic,
      messages: [
        // A suspension whose data breaks its schema: skipped, and the records after it still count.
        { key: broken.key, value: Buffer.from('{"accountId":"not-a-uuid"}'), headers: broken.headers },
        ...events.map((event) => encodeEnvelope(event)),
      ],
    });

    await waitFor(async () => (await store.mailBlockedBy(suspended)) === 'suspended' && (await store.mailBlockedBy(closed)) === 'closed', { what: 'both changes stored' });
    expect(await store.mailBlockedBy(active)).toBeUndefined();
  });
});
