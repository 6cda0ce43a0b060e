import { RetriableError } from '@platform/contracts';
import { ConsumptionSwitch } from './consumption-switch';

describe('ConsumptionSwitch', () => {
  it('pauses every consumed topic when the circuit opens and resumes them when it closes', () => {
    const calls: string[] = [];
    const consumer = {
      pause: (topics: { topic: string }[]) => void calls.push(`pause ${topics.map((t) => t.topic).join(',')}`),
      resume: (topics: { topic: string }[]) => void calls.push(`resume ${topics.map((t) => t.topic).join(',')}`),
    };
    const logs: string[] = [];
    const logger = { info: (m: string) => void logs.push(m), warn: (m: string) => void logs.push(m) };
    const toggle = new ConsumptionSwitch(consumer, ['a', 'a.retry.1'], logger);
    toggle.opened(new RetriableError('connect ECONNREFUSED', 'SMTP_UNAVAILABLE'));
    toggle.closed(1_200);
    expect(calls).toEqual(['pause a,a.retry.1', 'resume a,a.retry.1']);
    expect(logs[0]).toMatch(/circuit open \(SMTP_UNAVAILABLE/);
    expect(logs[1]).toMatch(/closed after 1200 ms; consumption resumed/);
  });

  it('does not throw when kafkajs refuses, so the breaker keeps working', () => {
    const consumer = {
      pause: () => {
        throw new Error('Consumer group was not initialized');
      },
      resume: () => undefined,
    };
    const warnings: string[] = [];
    const toggle = new ConsumptionSwitch(consumer, ['a'], { info: () => undefined, warn: (m) => void warnings.push(m) });
    expect(() => toggle.opened(new RetriableError('down', 'SMTP_UNAVAILABLE'))).not.toThrow();
    expect(warnings[0]).toMatch(/pausing consumption failed/);
  });
});
