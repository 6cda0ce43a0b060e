import { randomUUID } from 'node:crypto';
import { EventSink, deterministicEventId } from '@platform/consumer-runtime';
import { EventEnvelope, EventType, Topic, createEnvelope } from '@platform/contracts';
import { ConsumerHarness, startConsumer } from '@platform/consumer-runtime/testing';
import { waitFor } from '@platform/testing';
import { AbuseScanModule } from './abuse-scan.module';
import { loadDisposableDomains } from './rules/disposable-domains';
import { buildRules } from './rules/rule-set';
import { SignupScorer } from './rules/signup-scorer';
import { DEFAULT_POLICY_FILE, loadPolicy } from './rules/verdict-policy';
import { SignupScanHandler } from './scan/signup-scan.handler';

/** Verdicts are kept here instead of going to the shared verdicts topic. */
class RecordingSink implements EventSink {
  readonly published: { topic: string; event: EventEnvelope }[] = [];
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) this.published.push({ topic, event });
  }
}

describe('abuse-scan module on the consumer runtime', () => {
  const sink = new RecordingSink();
  let harness: ConsumerHarness;

  beforeAll(async () => {
    const policy = loadPolicy(DEFAULT_POLICY_FILE);
    const scorer = new SignupScorer(buildRules(policy, loadDisposableDomains()), policy);
    harness = await startConsumer('abuse-scan', AbuseScanModule.register(new SignupScanHandler(scorer, sink)));
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('scores an account.created.v1 record and publishes its verdict', async () => {
    const accountId = randomUUID();
    const event = createEnvelope({
      type: EventType.AccountCreated,
      source: 'urn:platform:accounts',
      subject: accountId,
      data: {
        accountId,
        email: 'promo84629173@mailinator.com',
        displayName: 'Deals at www.cheap-pills.example',
        locale: 'en',
        plan: 'free',
        externalId: null,
        signupContext: { ip: '198.51.100.77', userAgent: 'curl/8.5.0' },
        createdAt: new Date().toISOString(),
      },
    });
    await harness.publish(event);
    const { topic, event: verdict } = await waitFor(() => sink.published.find((p) => p.event.subject === accountId), { what: 'the verdict' });
    expect(topic).toBe(Topic.AbuseVerdicts);
    expect(verdict.id).toBe(deterministicEventId('abuse-verdict', event.id));
    expect(verdict.data).toMatchObject({ verdict: 'block', causationId: event.id });
  });
});
