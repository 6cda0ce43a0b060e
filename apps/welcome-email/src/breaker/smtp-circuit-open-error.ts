import { RetriableError } from '@platform/contracts';
import { SmtpErrorCode } from '../welcome/smtp-error-classifier';

/**
 * A send that was waiting for the SMTP server to come back, given up because the consumer is
 * shutting down. Retriable: the record is left for the next run, which finds the server or not.
 */
export class SmtpCircuitOpenError extends RetriableError {
  constructor() {
    super('SMTP circuit is open and the consumer is stopping; the mail was not sent', SmtpErrorCode.CircuitOpen);
  }
}
