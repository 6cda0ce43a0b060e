import { BatchObservableResult, ObservableGauge, metrics } from '@opentelemetry/api';
import type { Admin, Kafka } from 'kafkajs';
import { MetricName, MessagingAttribute } from '@platform/observability';
import { PartitionLag, partitionLags } from './partition-lags';
import { RUNTIME_TELEMETRY_SCOPE } from './telemetry-scope';

/** A scrape reuses a reading this young instead of asking the brokers again. */
const FRESH_FOR_MS = 5_000;
/** A scrape waits at most this long for a reading; a slow broker must not hang the metrics endpoint. */
const READ_TIMEOUT_MS = 2_000;

/**
 * Consumer lag per partition, as the brokers see it: the end offset of every partition the group
 * consumes minus the group's committed offset. Read from the brokers rather than from the batches
 * the consumer fetched, so a stuck or crashed consumer shows growing lag instead of its last
 * happy number. Commits trail processing by up to the auto-commit interval (1 s).
 */
export class ConsumerLagObserver {
  private admin?: Admin;
  private connecting?: Promise<Admin>;
  private reading?: Promise<void>;
  private readAt = 0;
  private lags: PartitionLag[] = [];
  private readonly gauge: ObservableGauge;
  private readonly callback = (result: BatchObservableResult) => this.observe(result);

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: readonly string[],
  ) {
    const meter = metrics.getMeter(RUNTIME_TELEMETRY_SCOPE);
    this.gauge = meter.createObservableGauge(MetricName.ConsumerLag, {
      description: "Records between the group's committed offset and the end of the partition.",
      unit: '{record}',
    });
    meter.addBatchObservableCallback(this.callback, [this.gauge]);
  }

  async close(): Promise<void> {
    metrics.getMeter(RUNTIME_TELEMETRY_SCOPE).removeBatchObservableCallback(this.callback, [this.gauge]);
    const admin = this.admin ?? (await this.connecting?.catch(() => undefined));
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private async observe(result: BatchObservableResult): Promise<void> {
    if (Date.now() - this.readAt > FRESH_FOR_MS) {
      this.reading ??= this.read().finally(() => (this.reading = undefined));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.reading, new Promise((resolve) => (timer = setTimeout(resolve, READ_TIMEOUT_MS)))]);
      clearTimeout(timer);
    }
    for (const { topic, partition, lag } of this.lags) {
      result.observe(this.gauge, lag, {
        [MessagingAttribute.ConsumerGroupName]: this.groupId,
        [MessagingAttribute.DestinationName]: topic,
        [MessagingAttribute.PartitionId]: String(partition),
      });
    }
  }

  private async read(): Promise<void> {
    try {
      const admin = await this.connected();
      this.lags = await partitionLags(admin, this.groupId, this.topics);
    } catch {
      // Unknown is not zero: report nothing until the brokers answer again.
      this.lags = [];
      await this.dropAdmin();
    }
    this.readAt = Date.now();
  }

  private async connected(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.connecting ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().finally(() => (this.connecting = undefined));
    this.admin = await this.connecting;
    return this.admin;
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
