import type { Consumer } from 'kafkajs';
import { PlatformError } from '@platform/contracts';
import type { PlatformLogger } from '@platform/observability';
import type { CircuitListener } from './smtp-circuit-breaker';

/**
 * Follows the circuit with the kafkajs consumer (the runtime hands it out through
 * `app.unwrap()`): open pauses fetching on every topic the consumer reads, closed resumes it.
 * Records already fetched still reach the handler and wait there for the circuit; pausing stops
 * the consumer from taking more that would only wait too.
 */
export class ConsumptionSwitch implements CircuitListener {
  constructor(
    private readonly consumer: Pick<Consumer, 'pause' | 'resume'>,
    private readonly topics: readonly string[],
    private readonly logger: Pick<PlatformLogger, 'info' | 'warn'>,
  ) {}

  opened(cause: PlatformError): void {
    try {
      this.consumer.pause(this.topics.map((topic) => ({ topic })));
      this.logger.warn(`SMTP circuit open (${cause.code}: ${cause.message}); consumption paused on ${this.topics.length} topic(s)`);
    } catch (error) {
      // Without the pause the breaker still holds every send; the consumer just fetches a little more.
      this.logger.warn(`SMTP circuit open, but pausing consumption failed: ${(error as Error).message}`);
    }
  }

  closed(downForMs: number): void {
    try {
      this.consumer.resume(this.topics.map((topic) => ({ topic })));
      this.logger.info(`SMTP circuit closed after ${downForMs} ms; consumption resumed`);
    } catch (error) {
      this.logger.warn(`SMTP circuit closed, but resuming consumption failed: ${(error as Error).message}`);
    }
  }
}
