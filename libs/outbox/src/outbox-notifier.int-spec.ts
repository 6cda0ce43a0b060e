import { Client } from 'pg';
import { createFreshDatabase, startSilentServer, waitFor } from '@platform/testing';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-table';
import { OutboxNotifier } from './outbox-notifier';

describe('OutboxNotifier over PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let listener: Client;
  let received = 0;
  beforeAll(async () => {
    const fresh = await createFreshDatabase('outbox_notifier_it');
    url = fresh.url;
    drop = fresh.drop;
    listener = new Client({ connectionString: url });
    await listener.connect();
    listener.on('notification', (n) => n.channel === OUTBOX_NOTIFY_CHANNEL && received++);
    await listener.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await drop?.();
  });

  it('folds pokes that arrive while one notification is in flight into a single follow-up', async () => {
    received = 0;
    const notifier = new OutboxNotifier(url);
    for (let i = 0; i < 1_000; i++) notifier.poke();
    await notifier.flushed();
    await waitFor(() => (received >= 2 ? true : undefined), { timeoutMs: 2_000, what: 'two notifications' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toBe(2);

    // Once idle, the next poke notifies at once again.
    notifier.poke();
    await notifier.flushed();
    await waitFor(() => (received === 3 ? true : undefined), { timeoutMs: 2_000, what: 'a third notification' });
    await notifier.close();
  });

  it('survives an unreachable database: the poke never throws, the failure is logged', async () => {
    const warnings: string[] = [];
    const broken = new OutboxNotifier('postgres://postgres@127.0.0.1:1/nowhere', { warn: (m) => warnings.push(m) });
    expect(() => broken.poke()).not.toThrow();
    await broken.flushed();
    expect(warnings.join('\n')).toMatch(/could not notify the relay/);
    await broken.close();
  });

  it('gives up a connect to a server that never answers after its connect timeout, so later pokes are not stuck behind it', async () => {
    const silent = await startSilentServer();
    try {
      const warnings: string[] = [];
      const hung = new OutboxNotifier(`postgres://postgres@127.0.0.1:${silent.port}/hung`, { warn: (m) => warnings.push(m) }, { connectionTimeoutMillis: 300, statement_timeout: 1_000 });
      const started = Date.now();
      hung.poke();
      await hung.flushed();
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(warnings.join('\n')).toMatch(/could not notify the relay.*timeout/);
      await hung.close();
    } finally {
      await silent.close();
    }
  });
});
