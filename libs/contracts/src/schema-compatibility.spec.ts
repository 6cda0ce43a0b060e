import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_SCHEMAS } from './event-catalog';
import { ALL_EVENT_TYPES } from './event-types';
import { compatibilityProblems } from './schema-compatibility';

const LOCK_DIR = join(__dirname, '..', 'schema-lock');

describe('event schemas stay backward compatible within a version', () => {
  it.each(ALL_EVENT_TYPES.map((type) => [type]))('%s matches its locked schema or only adds optional fields', (type) => {
    const locked = JSON.parse(readFileSync(join(LOCK_DIR, `${type}.json`), 'utf8'));
    expect(compatibilityProblems(locked, EVENT_SCHEMAS[type])).toEqual([]);
  });

  it('has a lock file for every event type and none for types that are gone', () => {
    const locked = readdirSync(LOCK_DIR).map((f) => f.replace(/\.json$/, '')).sort();
    expect(locked).toEqual([...ALL_EVENT_TYPES].sort());
  });
});

describe('compatibilityProblems', () => {
  const base = { type: 'object', required: ['a'], properties: { a: { type: 'string', maxLength: 5 }, b: { type: 'number' } } };

  it('accepts a new optional field', () => {
    expect(compatibilityProblems(base, { ...base, properties: { ...base.properties, c: { type: 'string' } } })).toEqual([]);
  });

  it('rejects a new required field, a removed field, a type change and a narrowed constraint', () => {
    const changed = { type: 'object', required: ['a', 'c'], properties: { a: { type: 'string', maxLength: 3 }, c: { type: 'boolean' } } };
    expect(compatibilityProblems(base, changed)).toEqual(['/c: became required', '/a: maxLength changed from 5 to 3', '/b: was removed']);
  });
});
