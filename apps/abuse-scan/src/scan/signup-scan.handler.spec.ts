import { EventSink, deterministicEventId } from '@platform/consumer-runtime';
import { EventEnvelope, EventType, Topic, assertEventData, createEnvelope, encodeEnvelope } from '@platform/contracts';
import { loadDisposableDomains } from '../rules/disposable-domains';
import { buildRules } from '../rules/rule-set';
import { SignupScorer } from '../rules/signup-scorer';
import { DEFAULT_POLICY_FILE, loadPolicy } from '../rules/verdict-policy';
import { ABUSE_SCAN_SOURCE, SignupScanHandler } from './signup-scan.handler';

/** Keeps what was published, per topic, the way a consumer of the topic would see it. */
class RecordingSink implements EventSink {
  readonly published: { topic: string; event: EventEnvelope }[] = [];
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) this.published.push({ topic, event });
  }
}

const policy = loadPolicy(DEFAULT_POLICY_FILE);
const domains = loadDisposableDomains();
const scannedAt = new Date('2025-11-25T15:00:05.000Z');

function created(email: string, accountId = '3c9e1f20-7b4a-4d8e-a6f1-0e2d5c7b9a13') {
  return createEnvelope({
    type: EventType.AccountCreated,
    source: 'urn:platform:accounts',
    subject: accountId,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    data: {
      accountId,
      email,
      displayName: 'Priya Natarajan',
      locale: 'en',
      plan: 'team',
      externalId: null,
      signupContext: { ip: '203.0.113.50', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
      createdAt: '2025-11-25T15:00:00.000Z',
    },
  });
}

describe('SignupScanHandler', () => {
  let sink: RecordingSink;
  let handler: SignupScanHandler;
  beforeEach(() => {
    sink = new RecordingSink();
    handler = new SignupScanHandler(new SignupScorer(buildRules(policy, domains), policy), sink, () => scannedAt);
  });

  it('publishes a schema-valid verdict to the verdicts topic, keyed by account, with a derived id and the trace', async () => {
    const event = created('priya@throwawaymail.com');
    await handler.handle(event);

    expect(sink.published).toHaveLength(1);
    const [{ topic, event: verdict }] = sink.published;
    expect(topic).toBe(Topic.AbuseVerdicts);
    expect(verdict.type).toBe(EventType.AbuseVerdictIssued);
    expect(verdict.id).toBe(deterministicEventId('abuse-verdict', event.id));
    expect(verdict.source).toBe(ABUSE_SCAN_SOURCE);
    expect(verdict.traceparent).toBe(event.traceparent);
    expect(encodeEnvelope(verdict).key).toBe(event.data.accountId);
    assertEventData(EventType.AbuseVerdictIssued, verdict.data);
    expect(verdict.data).toEqual({
      accountId: event.data.accountId,
      causationId: event.id,
      score: 60,
      verdict: 'review',
      reasons: [{ rule: 'disposable-email-domain', score: 60, reason: 'email domain throwawaymail.com is a disposable-mail provider' }],
      ruleVersions: expect.objectContaining({ policy: policy.version, 'disposable-email-domain': '1' }),
      scannedAt: scannedAt.toISOString(),
    });
  });

  it('answers a redelivered event with the same verdict id and the same score', async () => {
    const event = created('priya.natarajan@acme.example');
    const first = await handler.handle(event);
    const second = await handler.handle(event);
    expect(second.id).toBe(first.id);
    expect(second.data).toEqual(first.data);
    expect(first.data.verdict).toBe('allow');
  });

  it('lets a publish failure propagate so the runtime retries the record', async () => {
    const failing: EventSink = {
      publish: async () => {
        throw new Error('broker unavailable');
      },
    };
    const broken = new SignupScanHandler(new SignupScorer(buildRules(policy, domains), policy), failing);
    await expect(broken.handle(created('a@acme.example'))).rejects.toThrow('broker unavailable');
  });
});
