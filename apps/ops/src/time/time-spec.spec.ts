import { UsageError } from '../errors';
import { parsePosition } from './position-spec';
import { parseTime } from './time-spec';

const now = Date.parse('2025-06-01T12:00:00Z');

describe('parseTime', () => {
  it('reads ISO times, now and durations ago', () => {
    expect(parseTime('2025-06-01T11:00:00Z', '--since', now)).toBe(now - 3_600_000);
    expect(parseTime('now', '--until', now)).toBe(now);
    expect(parseTime('90s', '--since', now)).toBe(now - 90_000);
    expect(parseTime('15m', '--since', now)).toBe(now - 900_000);
    expect(parseTime('2h', '--since', now)).toBe(now - 7_200_000);
    expect(parseTime('7d', '--before', now)).toBe(now - 7 * 86_400_000);
  });

  it('refuses bare numbers and nonsense as usage errors', () => {
    expect(() => parseTime('1717243200', '--since', now)).toThrow(UsageError);
    expect(() => parseTime('yesterday', '--since', now)).toThrow(/--since yesterday/);
  });
});

describe('parsePosition', () => {
  it('reads one offset, offsets per partition, or a time', () => {
    expect(parsePosition('42', '--from', now)).toEqual({ kind: 'offset', offset: 42n });
    expect(parsePosition('0:10,3:7', '--from', now)).toEqual({ kind: 'offsets', byPartition: new Map([[0, 10n], [3, 7n]]) });
    expect(parsePosition('1h', '--from', now)).toEqual({ kind: 'time', at: now - 3_600_000 });
  });

  it('refuses a partition named twice', () => {
    expect(() => parsePosition('0:1,0:2', '--from', now)).toThrow(/twice/);
  });
});
