/** One unpublished event as the relay reads it: already the Kafka record, plus its outbox id. */
export interface OutboxRow {
  /** bigint as text: ids outgrow 2^53 long before the table does. */
  readonly id: string;
  readonly topic: string;
  readonly messageKey: string;
  readonly headers: Record<string, string>;
  readonly value: string;
}
