import { ConfigError, EnvReader } from './env-reader';
import { readLogConfig } from './log-config';

describe('readLogConfig', () => {
  it('is info unless LOG_LEVEL says otherwise, and refuses a level nobody writes', () => {
    expect(readLogConfig(new EnvReader({}))).toEqual({ level: 'info' });
    expect(readLogConfig(new EnvReader({ LOG_LEVEL: 'debug' }))).toEqual({ level: 'debug' });
    const reader = new EnvReader({ LOG_LEVEL: 'verbose' });
    readLogConfig(reader);
    expect(() => reader.done()).toThrow(ConfigError);
  });
});
