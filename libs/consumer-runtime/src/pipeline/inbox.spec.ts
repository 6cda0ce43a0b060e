import { DeadLetterHeader, EventType, createEnvelope } from '@platform/contracts';
import { inboxClaimId } from './inbox';

const envelope = createEnvelope({
  type: EventType.AccountClosed,
  source: 'test',
  subject: '7a1f3c52-95b6-4d8e-b7a5-0c1d2e3f4a5b',
  data: { accountId: '7a1f3c52-95b6-4d8e-b7a5-0c1d2e3f4a5b', closedAt: new Date().toISOString() },
});
const route = (stage: number) => ({ topic: 't', sourceTopic: 't', stage });

describe('inboxClaimId', () => {
  it('claims the event id', () => {
    expect(inboxClaimId({ envelope, route: route(1), headers: {} })).toBe(envelope.id);
  });

  it('claims the event id per replay run for a record ops topic replay put on a retry topic', () => {
    const headers = { [DeadLetterHeader.Reprocess]: 'run-1' };
    expect(inboxClaimId({ envelope, route: route(1), headers })).toBe(`${envelope.id}#reprocess:run-1`);
  });

  it('ignores the reprocess header on a source topic', () => {
    expect(inboxClaimId({ envelope, route: route(0), headers: { [DeadLetterHeader.Reprocess]: 'run-1' } })).toBe(envelope.id);
  });
});
