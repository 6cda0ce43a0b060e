import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSUMERS, Topic } from '@platform/contracts';
import { UNKNOWN_EVENT_TYPE } from '@platform/consumer-runtime';
import { ALERT_RULES, prometheusInstalled, startPrometheus } from '@platform/dev-stack';
import { freePort, parsePrometheusText, readAlertRules, seriesReadBy, sumOf, testKafka, waitFor } from '@platform/testing';
import { platformClient, uniqueEmail } from './support/platform-client';
import { E2eStack, readStack } from './support/stack-file';

interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

// The platform's alert rules in a real Prometheus (Debian's package) scraping the running
// platform every second: the rules load, every series they read exists, and a dead letter pages
// while nothing critical fires on a healthy platform.
describe('alerts: a real Prometheus over the running platform, with the platform\'s rules', () => {
  const rules = readAlertRules(ALERT_RULES);
  let stack: E2eStack;
  let prometheus: ChildProcess | undefined;
  let dir: string;
  let url: string;

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}/api/v1/${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error}`);
    return body.data;
  };
  const alerts = async () => (await api<{ alerts: PrometheusAlert[] }>('alerts')).alerts;
  const lifecycleGroups = CONSUMERS.filter((c) => c.topics.includes(Topic.AccountLifecycle)).map((c) => c.groupId).sort();
  const deadLetterAlerts = async () =>
    (await alerts()).filter((a) => a.labels.alertname === 'ConsumerRecordsDeadLettered' && a.labels.messaging_destination_name === Topic.AccountLifecycle);

  /** A record no consumer can decode on the lifecycle topic; resolves once every consumer of it has dead-lettered it. */
  const publishPoison = async () => {
    const deadLettered = async () =>
      Promise.all(
        lifecycleGroups.map(async (group) => {
          const samples = parsePrometheusText(await (await fetch(stack.metricsUrls[group])).text());
          return sumOf(samples, 'consumer_records_dead_lettered_total', { messaging_destination_name: Topic.AccountLifecycle, cloudevents_event_type: UNKNOWN_EVENT_TYPE });
        }),
      );
    const before = await deadLettered();
    const producer = testKafka('e2e-alerts', stack.kafkaBrokers).producer();
    await producer.connect();
    await producer.send({ topic: Topic.AccountLifecycle, messages: [{ key: randomUUID(), value: Buffer.from('not an event') }] });
    await producer.disconnect();
    await waitFor(async () => (await deadLettered()).every((count, i) => count > before[i]) || undefined, { what: 'every lifecycle consumer to dead-letter the record' });
  };

  beforeAll(async () => {
    stack = readStack();
    // A dead letter from before Prometheus starts: a counter already above 0 at its first scrape,
    // which must not page (the test below checks that only a new one does).
    await publishPoison();
    if (!prometheusInstalled()) throw new Error('prometheus not found: bash scripts/ensure-deps.sh installs Debian\'s prometheus package');
    dir = mkdtempSync(join(tmpdir(), 'e2e-prometheus-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const targets = Object.fromEntries(Object.entries(stack.metricsUrls).map(([app, metricsUrl]) => [app, new URL(metricsUrl).host]));
    prometheus = startPrometheus({ targets, port, dir, intervalSeconds: 1 });
    await waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok || undefined, { what: 'Prometheus to be ready', timeoutMs: 20_000 });
    // A signup, so that the relay has sent (its Kafka gauge exists from its first send on).
    const email = uniqueEmail('alerts');
    await platformClient(stack).signup({ email, displayName: 'Alert Watcher', locale: 'en' });
    await waitFor(async () => (await platformClient(stack).mailsTo(email)).length === 1 || undefined, { what: `the welcome mail to ${email}` });
  });

  afterAll(() => {
    prometheus?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads every rule without error and scrapes every app', async () => {
    const loaded = await waitFor(async () => {
      const groups = (await api<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>('rules')).groups;
      const all = groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => r.health === 'ok') ? all : undefined;
    }, { what: 'every rule evaluated once', timeoutMs: 20_000 });
    expect(loaded.map((r) => r.name).sort()).toEqual(rules.map((r) => r.alert).sort());
    const targets = await waitFor(async () => {
      const active = (await api<{ activeTargets: { labels: { job: string }; health: string; lastError: string }[] }>('targets')).activeTargets;
      return active.length === Object.keys(stack.metricsUrls).length && active.every((t) => t.health === 'up') ? active : undefined;
    }, { what: 'every app scraped', timeoutMs: 20_000 });
    expect(targets.map((t) => t.labels.job).sort()).toEqual(Object.keys(stack.metricsUrls).sort());
  });

  it('finds, served by the running apps, every series an alert reads', async () => {
    const names = [...new Set(rules.flatMap((rule) => seriesReadBy(rule.expr)))];
    for (const rule of rules) expect([rule.alert, seriesReadBy(rule.expr).length > 0]).toEqual([rule.alert, true]);
    // Fails naming what is still missing after the wait: an alert over such a series could never fire.
    const served = await waitFor(async () => {
      const absent: string[] = [];
      for (const name of names) {
        const result = await api<{ result: unknown[] }>(`query?query=${encodeURIComponent(`count(${name})`)}`);
        if (result.result.length === 0) absent.push(name);
      }
      if (absent.length > 0) throw new Error(`not served: ${absent.join(', ')}`);
      return names;
    }, { what: 'every series the alerts read', timeoutMs: 20_000 });
    expect(served).toEqual(names);
  });

  it('fires ConsumerRecordsDeadLettered for each consumer of a record nobody can decode, not for an older one, and nothing critical', async () => {
    // A few evaluations over the counters left by the record sent before Prometheus started: quiet.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await deadLetterAlerts()).map((a) => a.labels.messaging_consumer_group_name)).toEqual([]);

    await publishPoison();
    const firing = await waitFor(async () => {
      const found = (await deadLetterAlerts()).filter((a) => a.state === 'firing');
      const named = [...new Set(found.map((a) => a.labels.messaging_consumer_group_name))].sort();
      return lifecycleGroups.every((g) => named.includes(g)) ? found : undefined;
    }, { what: `ConsumerRecordsDeadLettered firing for ${lifecycleGroups.join(', ')}`, timeoutMs: 30_000 });
    for (const alert of firing) expect(alert.labels.severity).toBe('warning');

    // A healthy platform with one relay that has sent: no critical alert even pending.
    const critical = (await alerts()).filter((a) => a.labels.severity === 'critical').map((a) => `${a.labels.alertname} (${a.state})`);
    expect(critical).toEqual([]);
  });
});
