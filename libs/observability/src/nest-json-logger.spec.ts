import { createJsonLogger } from './json-logger';
import { NestJsonLogger } from './nest-json-logger';

describe('NestJsonLogger', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const nest = new NestJsonLogger(createJsonLogger({ service: 'accounts', level: 'debug', write: (line) => lines.push(JSON.parse(line)) }));
    return { nest, lines };
  };

  it('takes the last string argument as the context, as Nest passes it', () => {
    const { nest, lines } = capture();
    nest.log('Mapped {/v1/accounts, POST} route', 'RouterExplorer');
    nest.verbose('detail', 'X');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped {/v1/accounts, POST} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'debug', msg: 'detail', context: 'X' }),
    ]);
  });

  it('keeps an error stack, and object arguments as fields', () => {
    const { nest, lines } = capture();
    nest.error('failed to start', 'Error: boom\n    at main', 'accounts');
    nest.error('no stack given', undefined, 'accounts');
    nest.warn('applied', { eventId: 'e1' }, 'inbox');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'failed to start', stack: 'Error: boom\n    at main', context: 'accounts' });
    expect(lines[1]).toEqual(expect.objectContaining({ msg: 'no stack given', context: 'accounts' }));
    expect(lines[1]).not.toHaveProperty('stack');
    expect(lines[2]).toMatchObject({ level: 'warn', msg: 'applied', eventId: 'e1', context: 'inbox' });
  });

  it('logs an Error passed as the message by its message, masked', () => {
    const { nest, lines } = capture();
    nest.error(new Error('duplicate key for ada@example.com'));
    expect(lines[0]).toMatchObject({ msg: 'duplicate key for ***@example.com', error: { name: 'Error' } });
  });
});
