/** What a handler learns about the record besides the event: for logs, metrics and decisions on attempt. */
export interface EventContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 on the first try; counts every attempt across in-process retries and retry topics. */
  readonly attempt: number;
  readonly groupId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The runtime's own EventContext. Being a class lets the Nest error passthrough recognise a call
 * that came from this runtime (see nest-error-passthrough.ts).
 */
export class KafkaEventContext implements EventContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly attempt: number;
  readonly groupId: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(fields: EventContext) {
    this.topic = fields.topic;
    this.partition = fields.partition;
    this.offset = fields.offset;
    this.attempt = fields.attempt;
    this.groupId = fields.groupId;
    // The batch loop hands over headers frozen already; copying them per handler call is waste.
    this.headers = Object.isFrozen(fields.headers) ? fields.headers : Object.freeze({ ...fields.headers });
    Object.freeze(this);
  }
}
