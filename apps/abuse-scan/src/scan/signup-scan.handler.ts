import { EventSink, deterministicEventId } from '@platform/consumer-runtime';
import { EventEnvelope, EventType, Topic, createEnvelope } from '@platform/contracts';
import { PlatformAttribute, inSpan } from '@platform/observability';
import { signupFacts } from '../rules/abuse-rule';
import { SignupScorer } from '../rules/signup-scorer';
import { ABUSE_SCAN_TELEMETRY_SCOPE } from '../telemetry-scope';

export const ABUSE_SCAN_SOURCE = 'urn:platform:abuse-scan';

type VerdictEvent = EventEnvelope<typeof EventType.AbuseVerdictIssued>;

/**
 * Scores one signup and publishes the verdict. The verdict's id is derived from the created
 * event's id: if the record is redelivered (crash after publishing, before the inbox commit), the
 * second verdict has the same id and the accounts inbox drops it.
 */
export class SignupScanHandler {
  constructor(
    private readonly scorer: SignupScorer,
    private readonly sink: EventSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async handle(event: EventEnvelope<typeof EventType.AccountCreated>): Promise<VerdictEvent> {
    // The verdict is on the span, so a trace says how the signup was judged; the facts are not.
    const result = await inSpan(ABUSE_SCAN_TELEMETRY_SCOPE, 'score signup', {}, async (span) => {
      const scored = this.scorer.score(signupFacts(event.data));
      span.setAttributes({ [PlatformAttribute.AbuseVerdict]: scored.verdict, [PlatformAttribute.AbuseScore]: scored.score });
      return scored;
    });
    const verdict = createEnvelope({
      type: EventType.AbuseVerdictIssued,
      id: deterministicEventId('abuse-verdict', event.id),
      source: ABUSE_SCAN_SOURCE,
      subject: event.data.accountId,
      traceparent: event.traceparent,
      tracestate: event.tracestate,
      data: {
        accountId: event.data.accountId,
        causationId: event.id,
        score: result.score,
        verdict: result.verdict,
        reasons: result.reasons,
        ruleVersions: result.ruleVersions,
        scannedAt: this.now().toISOString(),
      },
    });
    // A failed publish throws the runtime's PublishError (retriable): the record is retried and,
    // since rules count account ids rather than calls, the retry does not inflate the windows.
    await this.sink.publish(Topic.AbuseVerdicts, [verdict]);
    return verdict;
  }
}
