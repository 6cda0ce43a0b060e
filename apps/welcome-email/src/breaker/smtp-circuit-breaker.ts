import type { PlatformError } from '@platform/contracts';
import { meansServerDown } from '../welcome/smtp-error-classifier';
import { SmtpCircuitOpenError } from './smtp-circuit-open-error';

export interface CircuitBreakerSettings {
  /** Consecutive "server down" failures, across all records, that open the circuit. */
  readonly failureThreshold: number;
  /** How often an open circuit checks whether the server is back. */
  readonly probeIntervalMs: number;
}

/** Told when the circuit opens and closes: the consumption switch, the logs. */
export interface CircuitListener {
  opened(cause: PlatformError): void;
  closed(downForMs: number): void;
}

/** A cheap check that the server accepts connections again: nodemailer's verify() (connect, EHLO, AUTH). */
export type ServerProbe = () => Promise<unknown>;

export type CircuitState = 'closed' | 'open';

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Keeps the welcome consumer from spending its retries while the SMTP server is down.
 *
 * Closed, every send goes ahead. After `failureThreshold` consecutive failures that say the
 * server itself is down (not one mailbox), the circuit opens: listeners pause consumption, and
 * sends in flight wait in whenClosed() instead of failing their attempt, so nothing is pushed to
 * the retry or dead-letter topics for an outage. While open it probes the server every
 * `probeIntervalMs`; the first probe that gets through closes it, the waiting sends go on and
 * consumption resumes. Any reply from the server, even a rejection, proves it is up and resets
 * the count.
 */
export class SmtpCircuitBreaker {
  private state: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private openCause?: PlatformError;
  private probeTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly waiters: Waiter[] = [];
  private readonly listeners: CircuitListener[] = [];

  constructor(
    private readonly settings: CircuitBreakerSettings,
    private readonly probe: ServerProbe,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): CircuitState {
    return this.state;
  }

  /** Adds a listener; one that arrives while the circuit is open hears `opened` at once. */
  subscribe(listener: CircuitListener): void {
    this.listeners.push(listener);
    if (this.state === 'open' && this.openCause) listener.opened(this.openCause);
  }

  /** Resolves at once while closed; while open, when the server is back. Rejects once stop() was called. */
  whenClosed(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    if (this.stopped) return Promise.reject(new SmtpCircuitOpenError());
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The server answered; whatever it said, it is up. */
  recordReply(): void {
    this.consecutiveFailures = 0;
  }

  /**
   * Counts a failed send. True when the failure means the server is down and the circuit is open
   * (now or already): the caller waits in whenClosed() and sends again instead of failing.
   */
  recordFailure(failure: PlatformError): boolean {
    if (!meansServerDown(failure)) {
      this.recordReply();
      return false;
    }
    this.consecutiveFailures += 1;
    if (this.state === 'closed' && this.consecutiveFailures >= this.settings.failureThreshold) this.open(failure);
    return this.state === 'open' && !this.stopped;
  }

  /** Ends probing and lets every waiting send go with SmtpCircuitOpenError; for shutdown. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new SmtpCircuitOpenError());
  }

  private open(cause: PlatformError): void {
    this.state = 'open';
    this.openedAt = this.now();
    this.openCause = cause;
    for (const listener of this.listeners) listener.opened(cause);
    this.scheduleProbe();
  }

  private close(): void {
    this.state = 'closed';
    this.consecutiveFailures = 0;
    this.openCause = undefined;
    const downForMs = this.now() - this.openedAt;
    for (const listener of this.listeners) listener.closed(downForMs);
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    this.probeTimer = setTimeout(() => void this.runProbe(), this.settings.probeIntervalMs);
  }

  private async runProbe(): Promise<void> {
    this.probeTimer = undefined;
    let reachable = false;
    try {
      await this.probe();
      reachable = true;
    } catch {
      // Still down; the next probe is already the plan.
    }
    if (this.stopped) return;
    if (reachable) this.close();
    else this.scheduleProbe();
  }
}
