import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY_FILE, PolicyError, loadPolicy, parsePolicy, verdictFor } from './verdict-policy';

describe('verdict policy', () => {
  const defaults = JSON.parse(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'abuse-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, content: string): string {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  }

  it('accepts the committed default policy', () => {
    const policy = loadPolicy(DEFAULT_POLICY_FILE);
    expect(policy.thresholds.review).toBeLessThanOrEqual(policy.thresholds.block);
    expect(Object.keys(policy.rules)).toHaveLength(5);
  });

  it('loads a changed policy from a file without a code change', () => {
    const tuned = { ...defaults, version: 'tuned-1', thresholds: { review: 10, block: 20 } };
    const policy = loadPolicy(write('tuned.json', JSON.stringify(tuned)));
    expect(policy.version).toBe('tuned-1');
    expect(verdictFor(15, policy.thresholds)).toBe('review');
  });

  it('names every problem, including a misspelt knob', () => {
    const broken = structuredClone(defaults);
    broken.rules['ip-range-velocity'].windowSecs = 60;
    broken.rules['suspicious-display-name'].weight = -5;
    delete broken.thresholds.block;
    let thrown: unknown;
    try {
      parsePolicy(broken, 'broken.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyError);
    const problems = (thrown as PolicyError).problems.join('\n');
    expect(problems).toMatch(/\/thresholds must have required property 'block'/);
    expect(problems).toMatch(/\/rules\/ip-range-velocity must NOT have additional properties/);
    expect(problems).toMatch(/\/rules\/suspicious-display-name\/weight must be >= 0/);
  });

  it('refuses thresholds where review lies above block', () => {
    expect(() => parsePolicy({ ...defaults, thresholds: { review: 90, block: 50 } }, 'p.json')).toThrow(/review \(90\) must not exceed block \(50\)/);
  });

  it('says which file is missing or not JSON', () => {
    expect(() => loadPolicy(join(dir, 'absent.json'))).toThrow(/absent\.json is invalid:\n {2}- cannot be read/);
    expect(() => loadPolicy(write('bad.json', '{ nope'))).toThrow(/bad\.json is invalid:\n {2}- is not JSON/);
  });

  it('maps scores to verdicts at the thresholds', () => {
    const thresholds = { review: 40, block: 80 };
    expect(verdictFor(0, thresholds)).toBe('allow');
    expect(verdictFor(39, thresholds)).toBe('allow');
    expect(verdictFor(40, thresholds)).toBe('review');
    expect(verdictFor(79.5, thresholds)).toBe('review');
    expect(verdictFor(80, thresholds)).toBe('block');
  });
});
