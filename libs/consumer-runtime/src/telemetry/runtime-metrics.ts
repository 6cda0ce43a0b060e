import { Attributes, Counter, Histogram, metrics } from '@opentelemetry/api';
import { EVENT_TOPIC, EventType } from '@platform/contracts';
import { CloudEventsAttribute, DURATION_BUCKETS_SECONDS, ErrorAttribute, MESSAGING_SYSTEM_KAFKA, MessagingAttribute, MessagingOperation, MetricName, PlatformAttribute } from '@platform/observability';
import type { RecordInfo, RuntimeHooks } from '../hooks/runtime-hooks';
import { RUNTIME_TELEMETRY_SCOPE } from './telemetry-scope';

/**
 * The runtime's counters and handler latency. Counters are labelled by consumer group, source
 * topic and event type (retry topics count under their source topic, so a record keeps its series
 * across hops), and by reason or error code where there is one: all small, fixed sets. The
 * dead-letter counter has no error label on purpose: its series exist from the start (see
 * initialize), and a label value seen for the first time would start a new series that an alert
 * on increase() cannot see move.
 */
export class RuntimeMetrics {
  private readonly processed: Counter;
  private readonly failed: Counter;
  private readonly retried: Counter;
  private readonly deadLettered: Counter;
  private readonly ignored: Counter;
  private readonly processDuration: Histogram;

  constructor() {
    const meter = metrics.getMeter(RUNTIME_TELEMETRY_SCOPE);
    this.processed = meter.createCounter(MetricName.ConsumerProcessed, { description: 'Records whose handler succeeded.', unit: '{record}' });
    this.failed = meter.createCounter(MetricName.ConsumerFailed, { description: 'Failed handler attempts, retried or not.', unit: '{attempt}' });
    this.retried = meter.createCounter(MetricName.ConsumerRetried, { description: 'Retries scheduled, by reason.', unit: '{retry}' });
    this.deadLettered = meter.createCounter(MetricName.ConsumerDeadLettered, { description: 'Records sent to the dead-letter topic.', unit: '{record}' });
    this.ignored = meter.createCounter(MetricName.ConsumerIgnored, { description: 'Records skipped without a handler run, by reason.', unit: '{record}' });
    this.processDuration = meter.createHistogram(MetricName.ProcessDuration, {
      description: 'Handler time per record and attempt.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
    });
  }

  /**
   * Puts the processed and dead-lettered series at 0 for every source topic and handled type, so
   * they are there to scrape before the first record, and the first dead letter is an increase.
   */
  initialize(groupId: string, sourceTopics: readonly string[], eventTypes: readonly EventType[]): void {
    for (const type of eventTypes) {
      // Where the contracts say the type travels; a consumer on other topics (a test's) gets them all.
      const topics = sourceTopics.includes(EVENT_TOPIC[type]) ? [EVENT_TOPIC[type]] : sourceTopics;
      for (const sourceTopic of topics) {
        const attributes = recordAttributes({ groupId, sourceTopic, type });
        this.processed.add(0, attributes);
        this.deadLettered.add(0, attributes);
      }
    }
  }

  /** Hooks that count; combined with the app's own by combineHooks. */
  hooks(): RuntimeHooks {
    return {
      onProcessed: (info) => this.processed.add(1, recordAttributes(info)),
      onFailed: (info) => this.failed.add(1, { ...recordAttributes(info), [ErrorAttribute.Type]: info.errorCode ?? info.errorClass ?? 'unknown' }),
      onRetried: (info) => this.retried.add(1, { ...recordAttributes(info), [PlatformAttribute.Reason]: info.reason ?? 'unknown' }),
      onDeadLettered: (info) => this.deadLettered.add(1, recordAttributes(info)),
      onIgnored: (info) => this.ignored.add(1, { ...recordAttributes(info), [PlatformAttribute.Reason]: info.reason ?? 'unknown' }),
    };
  }

  recordHandler(seconds: number, groupId: string, topic: string, eventType: string, error?: string): void {
    this.processDuration.record(seconds, {
      [MessagingAttribute.System]: MESSAGING_SYSTEM_KAFKA,
      [MessagingAttribute.OperationName]: MessagingOperation.Process,
      [MessagingAttribute.ConsumerGroupName]: groupId,
      [MessagingAttribute.DestinationName]: topic,
      [CloudEventsAttribute.EventType]: eventType,
      ...(error ? { [ErrorAttribute.Type]: error } : {}),
    });
  }
}

function recordAttributes(info: Pick<RecordInfo, 'groupId' | 'sourceTopic' | 'type'>): Attributes {
  return {
    [MessagingAttribute.ConsumerGroupName]: info.groupId,
    [MessagingAttribute.DestinationName]: info.sourceTopic,
    // A record that did not decode has no trustworthy type; its bytes are in the dead-letter topic.
    [CloudEventsAttribute.EventType]: info.type ?? 'unknown',
  };
}

/** Every hook of each set, in order; a hook that throws is contained by fireHook as before. */
export function combineHooks(...sets: Partial<RuntimeHooks>[]): Partial<RuntimeHooks> {
  const names: (keyof RuntimeHooks)[] = ['onProcessed', 'onFailed', 'onRetried', 'onDeadLettered', 'onIgnored'];
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
