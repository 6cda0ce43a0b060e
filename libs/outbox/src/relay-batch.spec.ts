import { estimateRecordBytes, takeWithinBytes, toTopicMessages } from './relay-batch';
import type { OutboxRow } from './outbox-row';

function row(id: number, topic: string, key: string, valueBytes = 100): OutboxRow {
  return { id: String(id), topic, messageKey: key, headers: { ce_id: `event-${id}`, ce_type: 'account.updated.v1' }, value: 'x'.repeat(valueBytes) };
}

describe('toTopicMessages', () => {
  it('groups by topic and keeps id order within each topic', () => {
    const rows = [row(1, 'a', 'k1'), row(2, 'b', 'k2'), row(3, 'a', 'k1'), row(4, 'a', 'k3'), row(5, 'b', 'k2')];
    const grouped = toTopicMessages(rows);
    expect(grouped.map((g) => g.topic)).toEqual(['a', 'b']);
    expect(grouped[0].messages.map((m) => m.headers?.ce_id)).toEqual(['event-1', 'event-3', 'event-4']);
    expect(grouped[1].messages.map((m) => m.headers?.ce_id)).toEqual(['event-2', 'event-5']);
  });

  it('sends the row as stored: key, headers and value untouched', () => {
    const [{ messages }] = toTopicMessages([row(7, 't', 'account-7', 3)]);
    expect(messages[0]).toEqual({ key: 'account-7', value: 'xxx', headers: { ce_id: 'event-7', ce_type: 'account.updated.v1' } });
  });

  it('returns nothing for an empty batch', () => {
    expect(toTopicMessages([])).toEqual([]);
  });
});

describe('takeWithinBytes', () => {
  it('takes the whole batch when it fits', () => {
    const rows = [row(1, 't', 'k'), row(2, 't', 'k')];
    expect(takeWithinBytes(rows, 10_000)).toEqual(rows);
  });

  it('cuts to the longest prefix under the limit, never skipping a row', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i + 1, 't', 'k', 1000));
    const size = estimateRecordBytes(rows[0]);
    const taken = takeWithinBytes(rows, size * 3 + size / 2);
    expect(taken.map((r) => r.id)).toEqual(['1', '2', '3']);
  });

  it('always takes at least one row, so an oversized event is attempted rather than stalling silently', () => {
    const rows = [row(1, 't', 'k', 5000), row(2, 't', 'k')];
    expect(takeWithinBytes(rows, 100).map((r) => r.id)).toEqual(['1']);
  });

  it('counts multi-byte characters as bytes', () => {
    const ascii = { ...row(1, 't', 'k', 0), value: 'aaaa' };
    const accented = { ...row(1, 't', 'k', 0), value: 'éééé' };
    expect(estimateRecordBytes(accented) - estimateRecordBytes(ascii)).toBe(4);
  });
});
