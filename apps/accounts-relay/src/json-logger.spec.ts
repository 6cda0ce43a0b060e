import { createJsonLogger } from './json-logger';

describe('createJsonLogger', () => {
  it('writes one parseable JSON object per line with level, service and fields', () => {
    const lines: string[] = [];
    const logger = createJsonLogger('accounts-relay', (line) => lines.push(line));
    logger.warn('Kafka unavailable', { code: 'RELAY_PUBLISH_FAILED', retryInMs: 400, skipped: undefined });
    logger.error('failed', { error: Object.assign(new Error('boom'), { code: 'X' }) });

    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ level: 'warn', service: 'accounts-relay', msg: 'Kafka unavailable', code: 'RELAY_PUBLISH_FAILED', retryInMs: 400 });
    expect(first).not.toHaveProperty('skipped');
    expect(Number.isNaN(Date.parse(first.time))).toBe(false);
    expect(JSON.parse(lines[1]).error).toEqual({ name: 'Error', message: 'boom', code: 'X' });
  });
});
