/**
 * Attribute keys on spans and metrics, in one place. Where the OpenTelemetry semantic conventions
 * name a thing (messaging, CloudEvents, errors, servers) their key is used, copied here rather than
 * imported from the conventions' incubating entry point, whose names may still change under us.
 * The Prometheus exporter turns dots into underscores: `messaging.consumer.group.name` is scraped
 * as the label `messaging_consumer_group_name`.
 */
export const MessagingAttribute = {
  System: 'messaging.system',
  DestinationName: 'messaging.destination.name',
  PartitionId: 'messaging.destination.partition.id',
  OperationType: 'messaging.operation.type',
  OperationName: 'messaging.operation.name',
  ConsumerGroupName: 'messaging.consumer.group.name',
  MessageId: 'messaging.message.id',
  KafkaMessageKey: 'messaging.kafka.message.key',
  KafkaOffset: 'messaging.kafka.offset',
} as const;

export const MESSAGING_SYSTEM_KAFKA = 'kafka';

/**
 * `messaging.operation.type` values. The conventions renamed `publish` to `send`; `create` is the
 * span that gives one message its own creation context (here: the outbox row).
 */
export const MessagingOperation = {
  Create: 'create',
  Send: 'send',
  Process: 'process',
} as const;

export const CloudEventsAttribute = {
  EventId: 'cloudevents.event_id',
  EventType: 'cloudevents.event_type',
  EventSource: 'cloudevents.event_source',
  EventSubject: 'cloudevents.event_subject',
} as const;

export const ErrorAttribute = { Type: 'error.type' } as const;

export const ServerAttribute = { Address: 'server.address', Port: 'server.port' } as const;

/** The platform's own keys, for what the conventions have no name for. */
export const PlatformAttribute = {
  /** Handler attempts so far, across in-process retries and retry topics; 1 on the first try. */
  Attempt: 'platform.attempt',
  /** Why a record was retried or skipped (see RetryReason and IgnoreReason in the consumer runtime). */
  Reason: 'reason',
  /** How an operation ended, where that is one of a few words (sent, failed, ...). */
  Outcome: 'outcome',
  /** The PostgreSQL schema whose outbox a metric describes. */
  OutboxSchema: 'outbox.schema',
  /** abuse-scan's verdict on a signup (allow, review, block) and its score. */
  AbuseVerdict: 'abuse.verdict',
  AbuseScore: 'abuse.score',
  /** The provisioning step a span runs or undoes. */
  ProvisioningStep: 'provisioning.step',
} as const;

/** `network.protocol.name` for the welcome mail's SMTP client spans. */
export const NetworkAttribute = { ProtocolName: 'network.protocol.name' } as const;
