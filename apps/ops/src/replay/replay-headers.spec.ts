import { CloudEventHeader, DeadLetterHeader, TraceHeader } from '@platform/contracts';
import { deadLetterReplayHeaders, replayCount, topicReplayHeaders } from './replay-headers';

const from = { topic: 'src.g.dlt', partition: 2, offset: '17', timestamp: '1700000000000' };

describe('replayed headers', () => {
  const deadLetter = {
    [CloudEventHeader.Id]: Buffer.from('e-1'),
    [TraceHeader.TraceParent]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    [DeadLetterHeader.ErrorCode]: Buffer.from('SMTP_REJECTED'),
    [DeadLetterHeader.OriginalOffset]: Buffer.from('41'),
    [DeadLetterHeader.RetryNotBefore]: Buffer.from('2025-01-01T00:00:00.000Z'),
    [DeadLetterHeader.ParkedBehind]: Buffer.from('2:40'),
    [DeadLetterHeader.ReplayCount]: Buffer.from('1'),
  };

  it('keeps a dead letter headers, drops its retry schedule, counts the replay and says where it came from', () => {
    const headers = deadLetterReplayHeaders(deadLetter, from, 'run-1');
    expect(headers[CloudEventHeader.Id]).toEqual(Buffer.from('e-1'));
    expect(headers[TraceHeader.TraceParent]).toBe(deadLetter[TraceHeader.TraceParent]);
    expect(headers[DeadLetterHeader.ErrorCode]).toEqual(Buffer.from('SMTP_REJECTED'));
    expect(headers[DeadLetterHeader.OriginalOffset]).toEqual(Buffer.from('41'));
    expect(headers[DeadLetterHeader.RetryNotBefore]).toBeUndefined();
    expect(headers[DeadLetterHeader.ParkedBehind]).toBeUndefined();
    expect(headers[DeadLetterHeader.ReplayCount]).toBe('2');
    expect(headers[DeadLetterHeader.ReplayId]).toBe('run-1');
    expect(headers[DeadLetterHeader.ReplayedFrom]).toBe('src.g.dlt:2:17');
    expect(headers[DeadLetterHeader.Reprocess]).toBeUndefined();
  });

  it('makes a source record look like the runtime forwarded it, asking for reprocessing unless told not to', () => {
    const source = { topic: 'src', partition: 1, offset: '99', timestamp: '1700000000001' };
    const headers = topicReplayHeaders({ [CloudEventHeader.Id]: 'e-2' }, source, 'g', 'run-2', true);
    expect(headers).toMatchObject({
      [CloudEventHeader.Id]: 'e-2',
      [DeadLetterHeader.OriginalTopic]: 'src',
      [DeadLetterHeader.OriginalPartition]: '1',
      [DeadLetterHeader.OriginalOffset]: '99',
      [DeadLetterHeader.OriginalTimestamp]: '1700000000001',
      [DeadLetterHeader.ConsumerGroup]: 'g',
      [DeadLetterHeader.Reprocess]: 'run-2',
      [DeadLetterHeader.ReplayCount]: '1',
      [DeadLetterHeader.ReplayedFrom]: 'src:1:99',
    });
    expect(topicReplayHeaders({ [DeadLetterHeader.Reprocess]: 'old' }, source, 'g', 'run-2', false)[DeadLetterHeader.Reprocess]).toBeUndefined();
  });

  it('reads the replay count from bytes, strings or nothing', () => {
    expect(replayCount(undefined)).toBe(0);
    expect(replayCount({ [DeadLetterHeader.ReplayCount]: Buffer.from('3') })).toBe(3);
    expect(replayCount({ [DeadLetterHeader.ReplayCount]: 'x' })).toBe(0);
  });
});
