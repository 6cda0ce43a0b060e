import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Topic } from '@platform/contracts';
import { OtlpSpanKind, PrometheusSample, ReceivedSpan, sumOf, waitFor } from '@platform/testing';
import { AccountBody, platformClient, uniqueEmail } from './support/platform-client';
import { E2eStack, readStack } from './support/stack-file';
import { telemetryReader } from './support/telemetry-reader';

const APPS = ['accounts', 'accounts-relay', 'welcome-email', 'abuse-scan', 'provisioning'] as const;
type App = (typeof APPS)[number];

describe('observability: one signup, one trace; metrics that move; logs that lead to the trace', () => {
  let stack: E2eStack;
  let telemetry: ReturnType<typeof telemetryReader>;
  let before: Record<App, PrometheusSample[]>;
  let account: AccountBody;
  let email: string;
  // The caller's own span: the signup continues a trace the test started, so its id is known.
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');

  const scrapeAll = async () => Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await telemetry.scrape(app)]))) as Record<App, PrometheusSample[]>;

  beforeAll(async () => {
    stack = readStack();
    telemetry = telemetryReader(stack);
    const client = platformClient(stack);
    before = await scrapeAll();
    email = uniqueEmail('grace.hopper');
    account = await client.signup({ email, displayName: 'Grace Hopper', locale: 'en' }, { traceparent: `00-${traceId}-${callerSpanId}-01` });
    await waitFor(async () => (await client.mailsTo(email)).length === 1 || undefined, { what: `the welcome mail to ${email}` });
    await waitFor(async () => {
      const current = await client.account(account.id);
      return current.abuseVerdict !== null && current.provisioningStatus !== null ? current : undefined;
    }, { what: 'the verdict and the provisioning result to reach accounts' });
  });

  it('exports one trace from the request through the outbox, the relay and each consumer, every span linked to its parent', async () => {
    const one = (spans: ReceivedSpan[], service: string, name: string) => spans.find((span) => span.service === service && span.name === name);
    const spans = await waitFor(async () => {
      const all = await telemetry.spans(traceId);
      const complete =
        one(all, 'welcome-email', 'smtp send') &&
        one(all, 'abuse-scan', 'score signup') &&
        one(all, 'provisioning', `send ${Topic.ProvisioningResults}`) &&
        one(all, 'accounts', `process ${Topic.AbuseVerdicts}`) &&
        one(all, 'accounts', `process ${Topic.ProvisioningResults}`);
      return complete ? all : undefined;
    }, { what: `the trace ${traceId} complete at the receiver`, timeoutMs: 20_000 });

    const request = one(spans, 'accounts', 'POST /v1/accounts')!;
    expect(request).toMatchObject({ kind: OtlpSpanKind.Server, parentSpanId: callerSpanId });
    expect(request.attributes).toMatchObject({ 'http.route': '/v1/accounts', 'http.request.method': 'POST', 'http.response.status_code': 201 });
    // The sign-up's one statement (account row and outbox row), a child of the request.
    expect(spans.some((span) => span.service === 'accounts' && span.kind === OtlpSpanKind.Client && span.parentSpanId === request.spanId)).toBe(true);

    const created = one(spans, 'accounts', `create ${Topic.AccountLifecycle}`)!;
    const relayed = one(spans, 'accounts-relay', `send ${Topic.AccountLifecycle}`)!;
    const handled = spans.find((span) => span.service === 'welcome-email' && span.name === `process ${Topic.AccountLifecycle}` && span.statusCode !== 2)!;
    const mailed = one(spans, 'welcome-email', 'smtp send')!;
    expect(created).toMatchObject({ kind: OtlpSpanKind.Producer, parentSpanId: request.spanId });
    expect(created.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'create', 'messaging.kafka.message.key': account.id });
    expect(relayed).toMatchObject({ kind: OtlpSpanKind.Producer, parentSpanId: created.spanId });
    expect(handled).toMatchObject({ kind: OtlpSpanKind.Consumer, parentSpanId: relayed.spanId });
    expect(handled.attributes).toMatchObject({ 'messaging.consumer.group.name': 'welcome-email', 'messaging.operation.type': 'process', 'cloudevents.event_type': 'account.created.v1' });
    expect(mailed).toMatchObject({ kind: OtlpSpanKind.Client, parentSpanId: handled.spanId });

    // The other consumers hang off the same send span, and their reactions come back to accounts.
    for (const service of ['abuse-scan', 'provisioning']) {
      expect(spans.find((span) => span.service === service && span.name === `process ${Topic.AccountLifecycle}`)?.parentSpanId).toBe(relayed.spanId);
    }
    const verdictSent = one(spans, 'abuse-scan', `send ${Topic.AbuseVerdicts}`)!;
    expect(one(spans, 'accounts', `process ${Topic.AbuseVerdicts}`)?.parentSpanId).toBe(verdictSent.spanId);

    // Linked parent to child throughout: every span's parent is in the trace, except the request's (the caller's).
    const ids = new Set(spans.map((span) => span.spanId));
    expect(spans.filter((span) => span.parentSpanId !== callerSpanId && !ids.has(span.parentSpanId ?? ''))).toEqual([]);
    expect(JSON.stringify(spans)).not.toContain(email);
  });

  it('serves every app\'s metrics, and the counters of the work just done moved', async () => {
    const moved = async (app: App, name: string, labels: Record<string, string>) => {
      const was = sumOf(before[app], name, labels);
      return waitFor(async () => {
        const now = sumOf(await telemetry.scrape(app), name, labels);
        return now > was ? now : undefined;
      }, { what: `${name} ${JSON.stringify(labels)} of ${app} to move past ${was}`, timeoutMs: 10_000 });
    };
    const present = (samples: PrometheusSample[], name: string, labels: Record<string, string> = {}) =>
      samples.some((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));

    await moved('accounts', 'http_server_request_duration_count', { http_route: '/v1/accounts', http_request_method: 'POST', http_response_status_code: '201' });
    await moved('accounts', 'consumer_records_processed_total', { messaging_consumer_group_name: 'accounts', cloudevents_event_type: 'abuse.verdict.v1' });
    await moved('accounts-relay', 'outbox_relay_published_total', { outbox_schema: 'accounts' });
    await moved('accounts-relay', 'messaging_client_operation_duration_count', { messaging_operation_name: 'send' });
    for (const app of ['welcome-email', 'abuse-scan', 'provisioning'] as const) {
      await moved(app, 'consumer_records_processed_total', { messaging_consumer_group_name: app, cloudevents_event_type: 'account.created.v1' });
      await moved(app, 'messaging_process_duration_count', { messaging_consumer_group_name: app, cloudevents_event_type: 'account.created.v1' });
    }
    await moved('welcome-email', 'smtp_send_duration_count', { outcome: 'sent' });
    await moved('abuse-scan', 'messaging_client_operation_duration_count', { messaging_operation_name: 'send' });

    const now = await scrapeAll();
    for (const app of ['accounts-relay', 'accounts'] as const) {
      expect(present(now[app], 'outbox_backlog', { outbox_schema: 'accounts' })).toBe(true);
      expect(present(now[app], 'outbox_oldest_event_age', { outbox_schema: 'accounts' })).toBe(true);
    }
    for (const app of ['accounts', 'welcome-email', 'abuse-scan', 'provisioning'] as const) {
      const group = app === 'accounts' ? 'accounts' : app;
      // There from the start, so an alert on its increase sees the first one.
      expect(present(now[app], 'consumer_records_dead_lettered_total', { messaging_consumer_group_name: group })).toBe(true);
      expect(present(now[app], 'messaging_kafka_consumer_lag', { messaging_consumer_group_name: group })).toBe(true);
    }
    expect(present(now['welcome-email'], 'smtp_circuit_breaker_open')).toBe(true);
    expect(present(now['welcome-email'], 'smtp_circuit_breaker_opened_total')).toBe(true);
  });

  it('logs the handling with the signup\'s trace id, and nowhere the address', () => {
    const lines = readFileSync(join(stack.logDir, 'welcome-email.log'), 'utf8').split('\n');
    const sent = lines.find((line) => line.includes(`sent for account ${account.id}`));
    expect(sent).toBeDefined();
    expect(JSON.parse(sent!)).toMatchObject({ level: 'info', service: 'welcome-email', trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    for (const file of readdirSync(stack.logDir)) {
      expect({ file, hasAddress: readFileSync(join(stack.logDir, file), 'utf8').includes(email) }).toEqual({ file, hasAddress: false });
    }
  });
});
