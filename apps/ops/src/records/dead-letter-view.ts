import { CloudEventHeader, DeadLetterHeader, decodeRecord, stringHeaders } from '@platform/contracts';
import type { KafkaMessage } from 'kafkajs';
import { MASK, maskEventData, redactText } from './masking';
import { replayCount } from '../replay/replay-headers';

/** A dead letter as `dlt show` prints it: where it is, what failed, and the event it carries. */
export interface DeadLetterView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** When it was dead-lettered. */
  readonly timestamp: string;
  readonly key: string | null;
  /** From the CloudEvents headers, so even an undecodable record can be traced to an event. */
  readonly eventId?: string;
  readonly eventType?: string;
  readonly error: { code?: string; class?: string; message?: string; stack?: string };
  readonly origin: { topic?: string; partition?: string; offset?: string; timestamp?: string };
  readonly consumerGroup?: string;
  readonly attempts?: number;
  readonly firstFailureTime?: string;
  readonly replayCount: number;
  readonly event?: { source: string; time: string; subject: string; data: unknown };
  /** Why the value is not an event of ours, when it is not; the raw value is then in `raw`. */
  readonly undecodable?: string;
  readonly raw?: string;
  /** True when personal data in `event.data`, `error` and `raw` is masked. */
  readonly masked: boolean;
}

export function deadLetterView(topic: string, partition: number, message: KafkaMessage, reveal: boolean): DeadLetterView {
  const headers = stringHeaders(message.headers);
  const text = (value: string | undefined) => (value === undefined || reveal ? value : redactText(value));
  const attempts = Number(headers[DeadLetterHeader.Attempts]);
  const base = {
    topic,
    partition,
    offset: message.offset,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    key: message.key === null ? null : message.key.toString('utf8'),
    eventId: headers[CloudEventHeader.Id],
    eventType: headers[CloudEventHeader.Type],
    error: {
      code: headers[DeadLetterHeader.ErrorCode],
      class: headers[DeadLetterHeader.ErrorClass],
      message: text(headers[DeadLetterHeader.ErrorMessage]),
      stack: text(headers[DeadLetterHeader.ErrorStack]),
    },
    origin: {
      topic: headers[DeadLetterHeader.OriginalTopic],
      partition: headers[DeadLetterHeader.OriginalPartition],
      offset: headers[DeadLetterHeader.OriginalOffset],
      timestamp: headers[DeadLetterHeader.OriginalTimestamp],
    },
    consumerGroup: headers[DeadLetterHeader.ConsumerGroup],
    attempts: Number.isInteger(attempts) ? attempts : undefined,
    firstFailureTime: headers[DeadLetterHeader.FirstFailureTime],
    replayCount: replayCount(message.headers),
    masked: !reveal,
  };
  try {
    const envelope = decodeRecord({ key: message.key, value: message.value, headers });
    const data = reveal ? envelope.data : maskEventData(envelope.type, envelope.data);
    return { ...base, event: { source: envelope.source, time: envelope.time, subject: envelope.subject, data } };
  } catch (error) {
    // A poison record: show what it is, but its bytes may hold anything, so only when revealed.
    const bytes = message.value?.length ?? 0;
    return {
      ...base,
      undecodable: (error as Error).message,
      raw: reveal ? (message.value?.toString('utf8') ?? '') : `${MASK} (${bytes} bytes; --reveal shows them)`,
    };
  }
}
