import { Attributes, Counter, metrics } from '@opentelemetry/api';
import { EVENT_TOPIC, EventType, isEventType } from '@platform/contracts';
import { CloudEventsAttribute, DURATION_BUCKETS_SECONDS, ErrorAttribute, MESSAGING_SYSTEM_KAFKA, MessagingAttribute, MessagingOperation, MetricName, PlatformAttribute, PreAggregatedHistogram, preAggregatedHistogram } from '@platform/observability';
import type { RecordInfo, RuntimeHooks } from '../hooks/runtime-hooks';
import { RUNTIME_TELEMETRY_SCOPE } from './telemetry-scope';

/**
 * The runtime's counters and handler latency. Counters are labelled by consumer group, source
 * topic and event type (retry topics count under their source topic, so a record keeps its series
 * across hops), and by reason or error code where there is one: all small, fixed sets. The
 * dead-letter counter has no error label on purpose: its series exist from the start (see
 * initialize), and a label value seen for the first time would start a new series that an alert
 * on increase() cannot see move. For the same reason, and to keep the label bounded, a type the
 * contracts do not know (a header of a record that did not decode says anything) counts as
 * `unknown`, whose series also exist from the start.
 */
export class RuntimeMetrics {
  /**
   * Processed records are the hot path (the fast lane settles hundreds per commit): they are
   * counted here and handed to the SDK when it collects, so a record costs a Map lookup rather
   * than the SDK hashing an attribute set per add().
   */
  private readonly processedCounts = new Map<string, { readonly attributes: Attributes; count: number }>();
  private readonly failed: Counter;
  private readonly retried: Counter;
  private readonly deadLettered: Counter;
  private readonly ignored: Counter;
  private readonly deadLetterFailed: Counter;
  private readonly processDuration: PreAggregatedHistogram;

  constructor() {
    const meter = metrics.getMeter(RUNTIME_TELEMETRY_SCOPE);
    const processed = meter.createObservableCounter(MetricName.ConsumerProcessed, { description: 'Records whose handler succeeded.', unit: '{record}' });
    processed.addCallback((result) => {
      for (const { attributes, count } of this.processedCounts.values()) result.observe(count, attributes);
    });
    this.failed = meter.createCounter(MetricName.ConsumerFailed, { description: 'Failed handler attempts, retried or not.', unit: '{attempt}' });
    this.retried = meter.createCounter(MetricName.ConsumerRetried, { description: 'Retries scheduled, by reason.', unit: '{retry}' });
    this.deadLettered = meter.createCounter(MetricName.ConsumerDeadLettered, { description: 'Records sent to the dead-letter topic.', unit: '{record}' });
    this.deadLetterFailed = meter.createCounter(MetricName.ConsumerDeadLetterFailed, {
      description: 'Dead-letter writes not acknowledged after the producer retries; the partition was paused and the record will be tried again.',
      unit: '{write}',
    });
    this.ignored = meter.createCounter(MetricName.ConsumerIgnored, { description: 'Records skipped without a handler run, by reason.', unit: '{record}' });
    // Recorded for every handler call: pre-aggregated, see PreAggregatedHistogram for why.
    this.processDuration = preAggregatedHistogram(RUNTIME_TELEMETRY_SCOPE, {
      name: MetricName.ProcessDuration,
      description: 'Handler time per record and attempt.',
      unit: 's',
      boundaries: DURATION_BUCKETS_SECONDS,
    });
  }

  /**
   * Puts the processed and dead-lettered series at 0 for every source topic and handled type, and
   * the dead-lettered one for records of no known type on every source topic, so they are there to
   * scrape before the first record, and the first dead letter is an increase.
   */
  initialize(groupId: string, sourceTopics: readonly string[], eventTypes: readonly EventType[]): void {
    for (const sourceTopic of sourceTopics) {
      this.deadLettered.add(0, recordAttributes({ groupId, sourceTopic, type: undefined }));
      this.deadLetterFailed.add(0, failureAttributes({ groupId, sourceTopic }));
    }
    for (const type of eventTypes) {
      // Where the contracts say the type travels; a consumer on other topics (a test's) gets them all.
      const topics = sourceTopics.includes(EVENT_TOPIC[type]) ? [EVENT_TOPIC[type]] : sourceTopics;
      for (const sourceTopic of topics) {
        this.countProcessed({ groupId, sourceTopic, type }, 0);
        this.deadLettered.add(0, recordAttributes({ groupId, sourceTopic, type }));
      }
    }
  }

  /** Hooks that count; combined with the app's own by combineHooks. */
  hooks(): RuntimeHooks {
    return {
      onProcessed: (info) => this.countProcessed(info, 1),
      onFailed: (info) => this.failed.add(1, { ...recordAttributes(info), [ErrorAttribute.Type]: info.errorCode ?? info.errorClass ?? 'unknown' }),
      onRetried: (info) => this.retried.add(1, { ...recordAttributes(info), [PlatformAttribute.Reason]: info.reason ?? 'unknown' }),
      onDeadLettered: (info) => this.deadLettered.add(1, recordAttributes(info)),
      onDeadLetterFailed: (info) => this.deadLetterFailed.add(1, failureAttributes(info)),
      onIgnored: (info) => this.ignored.add(1, { ...recordAttributes(info), [PlatformAttribute.Reason]: info.reason ?? 'unknown' }),
    };
  }

  recordHandler(seconds: number, groupId: string, topic: string, eventType: string, error?: string): void {
    const key = `${groupId}\u0000${topic}\u0000${eventType}\u0000${error ?? ''}`;
    const record =
      this.processDuration.recorderFor(key) ??
      this.processDuration.bindAs(key, {
        [MessagingAttribute.System]: MESSAGING_SYSTEM_KAFKA,
        [MessagingAttribute.OperationName]: MessagingOperation.Process,
        [MessagingAttribute.ConsumerGroupName]: groupId,
        [MessagingAttribute.DestinationName]: topic,
        [CloudEventsAttribute.EventType]: eventType,
        ...(error ? { [ErrorAttribute.Type]: error } : {}),
      });
    record(seconds);
  }

  private countProcessed(info: Pick<RecordInfo, 'groupId' | 'sourceTopic' | 'type'>, increment: number): void {
    const key = `${info.groupId}\u0000${info.sourceTopic}\u0000${info.type ?? ''}`;
    const entry = this.processedCounts.get(key);
    if (entry) entry.count += increment;
    else this.processedCounts.set(key, { attributes: recordAttributes(info), count: increment });
  }
}

/** The event type label of a record of no type the contracts know. */
export const UNKNOWN_EVENT_TYPE = 'unknown';

function recordAttributes(info: Pick<RecordInfo, 'groupId' | 'sourceTopic' | 'type'>): Attributes {
  return {
    [MessagingAttribute.ConsumerGroupName]: info.groupId,
    [MessagingAttribute.DestinationName]: info.sourceTopic,
    // A record that did not decode has no trustworthy type; its bytes are in the dead-letter topic.
    [CloudEventsAttribute.EventType]: info.type !== undefined && isEventType(info.type) ? info.type : UNKNOWN_EVENT_TYPE,
  };
}

/** By group and source topic only: one series each, at 0 from the start, for the alert's increase(). */
function failureAttributes(info: Pick<RecordInfo, 'groupId' | 'sourceTopic'>): Attributes {
  return { [MessagingAttribute.ConsumerGroupName]: info.groupId, [MessagingAttribute.DestinationName]: info.sourceTopic };
}

/** Every hook of each set, in order; a hook that throws is contained by fireHook as before. */
export function combineHooks(...sets: Partial<RuntimeHooks>[]): Partial<RuntimeHooks> {
  const names: (keyof RuntimeHooks)[] = ['onProcessed', 'onFailed', 'onRetried', 'onDeadLettered', 'onDeadLetterFailed', 'onIgnored'];
  const combined: Partial<RuntimeHooks> = {};
  for (const name of names) {
    const hooks = sets.map((set) => set[name]).filter((hook): hook is (info: RecordInfo) => void => hook !== undefined);
    if (hooks.length === 1) combined[name] = hooks[0];
    else if (hooks.length > 1)
      combined[name] = (info) => {
        let failure: unknown;
        for (const hook of hooks) {
          try {
            hook(info);
          } catch (error) {
            failure ??= error;
          }
        }
        if (failure !== undefined) throw failure;
      };
  }
  return combined;
}
