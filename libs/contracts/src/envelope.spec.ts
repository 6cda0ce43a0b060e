import { CloudEventHeader, TraceHeader } from './headers';
import { EventType } from './event-types';
import { EventDecodeError, EventSchemaError } from './errors';
import { assertEventData } from './event-catalog';
import { createEnvelope, decodeRecord, encodeEnvelope } from './envelope';
import type { AccountCreatedV1 } from './events/account-created.v1';

const accountId = '6f1c1f9e-8a6e-4f7e-9d55-2f0b8f7c1a01';
const created: AccountCreatedV1 = {
  accountId,
  email: 'ada@example.com',
  displayName: 'Ada',
  locale: 'en',
  plan: 'free',
  externalId: null,
  signupContext: { ip: '203.0.113.7', userAgent: 'curl/8' },
  createdAt: '2026-11-24T10:00:00.000Z',
};

describe('CloudEvents envelope (Kafka binary mode)', () => {
  const event = createEnvelope({ type: EventType.AccountCreated, source: 'urn:test', subject: accountId, data: created, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

  it('puts attributes in ce_ headers, the account id in the key and only the data in the value', () => {
    const record = encodeEnvelope(event);
    expect(record.key).toBe(accountId);
    expect(record.headers).toMatchObject({
      [CloudEventHeader.SpecVersion]: '1.0',
      [CloudEventHeader.Id]: event.id,
      [CloudEventHeader.Type]: 'account.created.v1',
      [CloudEventHeader.Subject]: accountId,
      [CloudEventHeader.ContentType]: 'application/json',
      [TraceHeader.TraceParent]: event.traceparent,
    });
    expect(JSON.parse(record.value.toString())).toEqual(created);
  });

  it('decodes what it encodes, with Buffer headers as kafkajs delivers them', () => {
    const record = encodeEnvelope(event);
    const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(decodeRecord({ key: Buffer.from(record.key), value: record.value, headers })).toEqual(event);
  });

  it.each([
    ['no headers at all', { key: 'k', value: Buffer.from('{}'), headers: {} }, 'EVENT_HEADER_MISSING'],
    ['an unknown type', { ...encodeEnvelope(event), headers: { ...encodeEnvelope(event).headers, [CloudEventHeader.Type]: 'account.exploded.v9' } }, 'EVENT_TYPE_UNKNOWN'],
    ['a value that is not JSON', { ...encodeEnvelope(event), value: Buffer.from([0xde, 0xad]) }, 'EVENT_VALUE_NOT_JSON'],
    ['an empty value', { ...encodeEnvelope(event), value: null }, 'EVENT_VALUE_EMPTY'],
    ['another spec version', { ...encodeEnvelope(event), headers: { ...encodeEnvelope(event).headers, [CloudEventHeader.SpecVersion]: '0.3' } }, 'EVENT_SPEC_VERSION_UNSUPPORTED'],
    ['a key that is not the subject', { ...encodeEnvelope(event), key: 'someone-else' }, 'EVENT_KEY_SUBJECT_MISMATCH'],
  ])('rejects a record with %s, with a stable code', (_name, record, code) => {
    let thrown: unknown;
    try {
      decodeRecord(record);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventDecodeError);
    expect((thrown as EventDecodeError).code).toBe(code);
    expect((thrown as EventDecodeError).retriable).toBe(false);
  });
});

describe('event schemas', () => {
  it('accepts valid data', () => {
    expect(() => assertEventData(EventType.AccountCreated, created)).not.toThrow();
  });

  it('names every violation', () => {
    let thrown: unknown;
    try {
      assertEventData(EventType.AccountCreated, { ...created, email: 'nope', accountId: 42 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventSchemaError);
    expect((thrown as EventSchemaError).violations.join(' ')).toMatch(/\/accountId.*\/email|\/email.*\/accountId/);
  });
});
