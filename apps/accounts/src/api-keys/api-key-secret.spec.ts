import { issueKey, parseKey, secretMatches } from './api-key-secret';

describe('API key secrets', () => {
  it('parses an issued key back into the id and a secret that matches the stored hash', () => {
    const issued = issueKey();
    const presented = parseKey(issued.key);
    expect(presented?.id).toBe(issued.id);
    expect(secretMatches(presented!.secret, issued.secretSha256)).toBe(true);
  });

  it('does not match another key’s secret', () => {
    const a = issueKey();
    const b = issueKey();
    expect(secretMatches(parseKey(b.key)!.secret, a.secretSha256)).toBe(false);
  });

  it('refuses strings that are not shaped like a key', () => {
    const { key } = issueKey();
    for (const raw of ['', 'ak_', key.slice(0, -1), `${key}x`, key.replace('ak_', 'sk_'), key.toUpperCase()]) {
      expect(parseKey(raw)).toBeUndefined();
    }
  });

  it('never puts the secret in what is stored', () => {
    const issued = issueKey();
    expect(issued.secretSha256.toString('hex')).not.toContain(parseKey(issued.key)!.secret);
    expect(issued.secretSha256).toHaveLength(32);
  });
});
