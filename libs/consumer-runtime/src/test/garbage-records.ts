import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { CloudEventHeader, EventType, encodeEnvelope, isEventType } from '@platform/contracts';
import { hostileJson, hostileString } from '@platform/testing';
import { accountCreated } from './fixtures';

/** One record a consumer must refuse, and the dead-letter reasons (x-error-code) that fit it. */
export interface GarbageRecord {
  readonly kind: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  /** Codes acceptable in x-error-code; undefined for a record that must be skipped, not dead-lettered. */
  readonly reasons?: readonly string[];
}

const REQUIRED = [CloudEventHeader.SpecVersion, CloudEventHeader.Id, CloudEventHeader.Source, CloudEventHeader.Type, CloudEventHeader.Time, CloudEventHeader.Subject];

/** A valid account.created record for `accountId`, to break in one place. */
export function validRecord(accountId: string): { key: string; value: Buffer; headers: Record<string, string> } {
  return encodeEnvelope(accountCreated(accountId));
}

/**
 * Each kind breaks a valid record in exactly one way, so the expected reason is known. The
 * account id is the case's, so every record of a case shares the key of the valid record after it.
 */
export function garbageRecord(accountId: string): fc.Arbitrary<GarbageRecord> {
  const valid = validRecord(accountId);
  const base = { key: valid.key as string | null, value: valid.value as Buffer | null, headers: valid.headers as IHeaders };
  const nonEmpty = (arb: fc.Arbitrary<string>) => arb.filter((s) => headerText(s) !== '');
  return fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ ...base, kind: 'random bytes', value: Buffer.from(bytes), reasons: ['EVENT_VALUE_NOT_JSON', 'EVENT_VALUE_EMPTY', 'EVENT_SCHEMA_INVALID'] })),
    fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ kind: 'random bytes, no headers', key: null, value: Buffer.from(bytes), headers: {}, reasons: ['EVENT_HEADER_MISSING'] })),
    fc.nat().map((cut) => ({ ...base, kind: 'truncated', value: valid.value.subarray(0, cut % valid.value.length), reasons: ['EVENT_VALUE_NOT_JSON', 'EVENT_VALUE_EMPTY'] })),
    nonEmpty(fc.oneof(fc.constantFrom('account.created.v9', 'account.created.v0', 'account.exploded.v1', 'ACCOUNT.CREATED.V1', 'account.created.v1 '), hostileString(80)))
      .filter((type) => !isEventType(headerText(type)))
      .map((type) => ({ ...base, kind: 'unknown ce_type', headers: { ...valid.headers, [CloudEventHeader.Type]: type }, reasons: ['EVENT_TYPE_UNKNOWN'] })),
    nonEmpty(fc.oneof(fc.constantFrom('0.3', '1', '2.0', '1.0 '), hostileString(40)))
      .filter((version) => headerText(version) !== '1.0')
      .map((version) => ({ ...base, kind: 'wrong ce_specversion', headers: { ...valid.headers, [CloudEventHeader.SpecVersion]: version }, reasons: ['EVENT_SPEC_VERSION_UNSUPPORTED'] })),
    fc.constantFrom(...REQUIRED).map((name) => {
      const headers: IHeaders = { ...valid.headers };
      delete headers[name];
      return { ...base, kind: `missing ${name}`, headers, reasons: ['EVENT_HEADER_MISSING'] };
    }),
    fc.tuple(fc.constantFrom(...REQUIRED), nonEmpty(hostileString(40)), fc.boolean()).filter(([name, other]) => headerText(other) !== valid.headers[name]).map(([name, other, otherFirst]) => ({
      ...base,
      kind: `conflicting duplicate ${name}`,
      headers: { ...valid.headers, [name]: otherFirst ? [other, valid.headers[name]] : [valid.headers[name], other] },
      reasons: ['EVENT_HEADER_CONFLICT'],
    })),
    fc.constantFrom('text/plain', 'application/xml', 'application/avro').map((type) => ({ ...base, kind: 'wrong content-type', headers: { ...valid.headers, [CloudEventHeader.ContentType]: type }, reasons: ['EVENT_CONTENT_TYPE_UNSUPPORTED'] })),
    fc.constant({ ...base, kind: 'tombstone', value: null, reasons: ['EVENT_VALUE_EMPTY'] }),
    fc.constant({ ...base, kind: 'key differs from ce_subject', key: randomUUID(), reasons: ['EVENT_KEY_SUBJECT_MISMATCH'] }),
    hostileJson(3).map((data) => ({ ...base, kind: 'data of the wrong shape', value: Buffer.from(JSON.stringify(data)), reasons: ['EVENT_SCHEMA_INVALID'] })),
    // The decision on unknown types has a counterpart: a known type nobody here handles is skipped.
    fc.constant({ ...base, kind: 'known type without a handler', headers: { ...valid.headers, [CloudEventHeader.Type]: EventType.AccountClosed }, value: Buffer.from(JSON.stringify({ accountId, closedAt: new Date().toISOString() })), reasons: undefined }),
  );
}

/** What a header value reads back as: kafkajs sends strings as UTF-8, so lone surrogates become U+FFFD. */
function headerText(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}
