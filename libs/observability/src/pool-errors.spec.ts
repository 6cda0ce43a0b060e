import { EventEmitter } from 'node:events';
import { logIdleConnectionErrors } from './pool-errors';

describe('logIdleConnectionErrors', () => {
  it('turns a pool error event, which would otherwise crash the process, into one warning', () => {
    const pool = new EventEmitter();
    expect(() => pool.emit('error', new Error('unguarded'))).toThrow('unguarded');
    const warnings: string[] = [];
    logIdleConnectionErrors(pool, 'inbox pool', (m) => warnings.push(m));
    expect(() => pool.emit('error', new Error('terminating connection due to administrator command'))).not.toThrow();
    expect(warnings).toEqual(['inbox pool: an idle database connection was lost (terminating connection due to administrator command); the pool will reconnect']);
  });
});
