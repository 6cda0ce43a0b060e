import { deterministicEventId, uuidV5 } from './deterministic-event-id';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministicEventId', () => {
  it('implements RFC 4122 version 5 (known vector: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the same id for the same parts, so a redelivered cause yields the same reaction id', () => {
    const a = deterministicEventId('abuse.verdict.v1', '0f8fad5b-d9cb-469f-a165-70867728950e');
    const b = deterministicEventId('abuse.verdict.v1', '0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(a).toBe(b);
    expect(a).toMatch(UUID_V5);
  });

  it('gives different ids for different parts, including parts that only differ in where they split', () => {
    const ids = new Set([
      deterministicEventId('a', 'bc'),
      deterministicEventId('ab', 'c'),
      deterministicEventId('abc'),
      deterministicEventId('a', 'b', 'c'),
      deterministicEventId('abuse.verdict.v1', 'x'),
      deterministicEventId('provisioning.completed.v1', 'x'),
    ]);
    expect(ids.size).toBe(6);
  });

  it('refuses to make an id out of nothing', () => {
    expect(() => deterministicEventId()).toThrow(TypeError);
  });
});
