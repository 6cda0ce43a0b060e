import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventType, Verdict, createEnvelope } from '@platform/contracts';

/** Inbound events as abuse-scan and provisioning publish them, for applying through the services. */
export function verdictEvent(accountId: string, verdict: Verdict, overrides: { id?: string; score?: number } = {}): EventEnvelope<typeof EventType.AbuseVerdictIssued> {
  return createEnvelope({
    type: EventType.AbuseVerdictIssued,
    source: 'urn:platform:abuse-scan',
    subject: accountId,
    id: overrides.id,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    data: {
      accountId,
      causationId: randomUUID(),
      score: overrides.score ?? (verdict === 'block' ? 95 : 5),
      verdict,
      reasons: verdict === 'block' ? [{ rule: 'disposable-domain', score: 80, reason: 'disposable email domain' }, { rule: 'velocity', score: 15, reason: 'many sign-ups from one IP' }] : [],
      ruleVersions: { 'disposable-domain': '1' },
      scannedAt: new Date().toISOString(),
    },
  });
}

export function provisioningCompletedEvent(accountId: string, schema = `tenant_${accountId.slice(0, 8)}`, id?: string): EventEnvelope<typeof EventType.ProvisioningCompleted> {
  return createEnvelope({
    type: EventType.ProvisioningCompleted,
    source: 'urn:platform:provisioning',
    subject: accountId,
    id,
    data: { accountId, causationId: randomUUID(), workspace: { schema }, completedAt: new Date().toISOString() },
  });
}

export function provisioningFailedEvent(accountId: string, id?: string): EventEnvelope<typeof EventType.ProvisioningFailed> {
  return createEnvelope({
    type: EventType.ProvisioningFailed,
    source: 'urn:platform:provisioning',
    subject: accountId,
    id,
    data: { accountId, causationId: randomUUID(), step: 'create-schema', errorCode: 'SCHEMA_CREATE_FAILED', failedAt: new Date().toISOString() },
  });
}
