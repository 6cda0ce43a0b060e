import { PermanentError, PlatformError, RetriableError } from '@platform/contracts';
import { waitFor } from '@platform/testing';
import { SmtpErrorCode } from '../welcome/smtp-error-classifier';
import { CircuitListener, SmtpCircuitBreaker } from './smtp-circuit-breaker';
import { SmtpCircuitOpenError } from './smtp-circuit-open-error';

const refused = () => new RetriableError('SMTP server unavailable: ECONNREFUSED', SmtpErrorCode.Unavailable);
const greylisted = () => new RetriableError('SMTP server deferred the message: 451', SmtpErrorCode.TemporaryFailure);
const unknownMailbox = () => new PermanentError('SMTP server rejected the message: 550', SmtpErrorCode.Rejected);

/** A server whose reachability the test switches; the probe is what the breaker calls. */
function server() {
  const state = { up: false, probes: 0 };
  const probe = async () => {
    state.probes += 1;
    if (!state.up) throw new Error('connect ECONNREFUSED');
  };
  return { state, probe };
}

function recorder(): CircuitListener & { events: string[] } {
  const events: string[] = [];
  return { events, opened: (cause: PlatformError) => events.push(`opened ${cause.code}`), closed: () => events.push('closed') };
}

describe('SmtpCircuitBreaker', () => {
  let breaker: SmtpCircuitBreaker | undefined;
  afterEach(() => breaker?.stop());

  it('opens after the threshold of consecutive "server down" failures and tells its listeners', () => {
    const { probe } = server();
    breaker = new SmtpCircuitBreaker({ failureThreshold: 3, probeIntervalMs: 60_000 }, probe);
    const listener = recorder();
    breaker.subscribe(listener);

    expect(breaker.recordFailure(refused())).toBe(false);
    expect(breaker.recordFailure(refused())).toBe(false);
    expect(breaker.current).toBe('closed');
    // The third one opens it, and its caller is told to wait rather than fail.
    expect(breaker.recordFailure(refused())).toBe(true);
    expect(breaker.current).toBe('open');
    expect(listener.events).toEqual([`opened ${SmtpErrorCode.Unavailable}`]);
  });

  it('does not count failures that prove the server is up, and they reset the count', () => {
    const { probe } = server();
    breaker = new SmtpCircuitBreaker({ failureThreshold: 2, probeIntervalMs: 60_000 }, probe);
    breaker.recordFailure(refused());
    expect(breaker.recordFailure(greylisted())).toBe(false);
    expect(breaker.recordFailure(unknownMailbox())).toBe(false);
    breaker.recordFailure(refused());
    expect(breaker.current).toBe('closed');
    breaker.recordReply();
    breaker.recordFailure(refused());
    expect(breaker.current).toBe('closed');
  });

  it('holds senders while open, probes, and lets them go and closes once the server answers', async () => {
    const { state, probe } = server();
    breaker = new SmtpCircuitBreaker({ failureThreshold: 1, probeIntervalMs: 10 }, probe);
    const listener = recorder();
    breaker.subscribe(listener);
    breaker.recordFailure(refused());

    let released = 0;
    const waiting = [breaker.whenClosed(), breaker.whenClosed()].map((p) => p.then(() => (released += 1)));
    await waitFor(() => state.probes >= 3, { what: 'a few failed probes' });
    expect(released).toBe(0);

    state.up = true;
    await Promise.all(waiting);
    expect(released).toBe(2);
    expect(breaker.current).toBe('closed');
    expect(listener.events).toEqual([`opened ${SmtpErrorCode.Unavailable}`, 'closed']);
    await expect(breaker.whenClosed()).resolves.toBeUndefined();
  });

  it('tells a listener that subscribes while open at once', () => {
    const { probe } = server();
    breaker = new SmtpCircuitBreaker({ failureThreshold: 1, probeIntervalMs: 60_000 }, probe);
    breaker.recordFailure(refused());
    const late = recorder();
    breaker.subscribe(late);
    expect(late.events).toEqual([`opened ${SmtpErrorCode.Unavailable}`]);
  });

  it('on stop, lets waiting senders go with a retriable SMTP_CIRCUIT_OPEN and stops probing', async () => {
    const { state, probe } = server();
    breaker = new SmtpCircuitBreaker({ failureThreshold: 1, probeIntervalMs: 10 }, probe);
    breaker.recordFailure(refused());
    const waiting = breaker.whenClosed();
    breaker.stop();
    await expect(waiting).rejects.toBeInstanceOf(SmtpCircuitOpenError);
    await expect(breaker.whenClosed()).rejects.toMatchObject({ code: SmtpErrorCode.CircuitOpen, retriable: true });
    // A failure after stop is not held: the caller fails its attempt and the runtime takes over.
    expect(breaker.recordFailure(refused())).toBe(false);
    const probes = state.probes;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.probes).toBe(probes);
  });
});
