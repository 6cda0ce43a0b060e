import { CloudEventHeader, DeadLetterHeader, EventType } from '@platform/contracts';
import { describeFilter, matchesFilter, parseFilter } from './record-filter';

const now = Date.parse('2025-06-01T12:00:00Z');
const record = {
  key: 'acc-1',
  headers: { [CloudEventHeader.Type]: EventType.AccountCreated, [DeadLetterHeader.ErrorCode]: 'SMTP_REJECTED' },
  timestamp: now - 30 * 60_000,
};

describe('record filters', () => {
  it('matches everything without options', () => {
    expect(matchesFilter(parseFilter({}, now), record)).toBe(true);
  });

  it('matches every part: keys, types and error codes as comma lists, since inclusive, until exclusive', () => {
    expect(matchesFilter(parseFilter({ key: 'acc-2,acc-1', type: EventType.AccountCreated, error: 'SMTP_REJECTED' }, now), record)).toBe(true);
    expect(matchesFilter(parseFilter({ key: 'acc-2' }, now), record)).toBe(false);
    expect(matchesFilter(parseFilter({ type: EventType.AccountClosed }, now), record)).toBe(false);
    expect(matchesFilter(parseFilter({ error: 'SMTP_TIMEOUT' }, now), record)).toBe(false);
    expect(matchesFilter(parseFilter({ since: '30m' }, now), record)).toBe(true);
    expect(matchesFilter(parseFilter({ since: '29m' }, now), record)).toBe(false);
    expect(matchesFilter(parseFilter({ until: '30m' }, now), record)).toBe(false);
    expect(matchesFilter(parseFilter({ until: '29m' }, now), record)).toBe(true);
  });

  it('never matches a keyless record on --key', () => {
    expect(matchesFilter(parseFilter({ key: 'acc-1' }, now), { ...record, key: null })).toBe(false);
  });

  it('describes only the options given', () => {
    expect(describeFilter({ key: 'a', since: '1h', type: undefined })).toEqual({ key: 'a', since: '1h' });
  });
});
