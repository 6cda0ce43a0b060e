/**
 * One error hierarchy for the whole platform, in the spirit of kafkajs: every error says whether
 * trying again can help (`retriable`) and carries a stable `code` that dashboards, dead-letter
 * headers and runbooks can key on. Messages are for humans and may change; codes may not.
 */
export class PlatformError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(message: string, options: { code: string; retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retriable = options.retriable;
  }
}

/** Worth another try: a timeout, a connection refused, a 4xx from SMTP. */
export class RetriableError extends PlatformError {
  constructor(message: string, code = 'RETRIABLE', cause?: unknown) {
    super(message, { code, retriable: true, cause });
  }
}

/** No retry will help: bad input, a rejected mailbox, a broken invariant. */
export class PermanentError extends PlatformError {
  constructor(message: string, code = 'PERMANENT', cause?: unknown) {
    super(message, { code, retriable: false, cause });
  }
}

/** The record is not a well-formed event of ours: not JSON, missing headers, unknown type. */
export class EventDecodeError extends PermanentError {
  constructor(message: string, code = 'EVENT_DECODE_FAILED') {
    super(message, code);
  }
}

/** The record decoded but its data does not match the schema of its type. */
export class EventSchemaError extends PermanentError {
  readonly violations: readonly string[];
  constructor(message: string, violations: readonly string[]) {
    super(message, 'EVENT_SCHEMA_INVALID');
    this.violations = violations;
  }
}

/** Errors we did not classify are treated as retriable: a bug fixed and redeployed can still process them. */
export function isRetriable(error: unknown): boolean {
  return error instanceof PlatformError ? error.retriable : true;
}

export function errorCode(error: unknown): string {
  return error instanceof PlatformError ? error.code : 'UNCLASSIFIED';
}
