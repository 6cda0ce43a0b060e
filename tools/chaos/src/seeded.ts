/** A small seeded PRNG (mulberry32): the same seed gives the same fault schedule and jitter. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/** `--name value` / `--name=value` into the defaults' shape; unknown flags are errors. */
export function parseFlags<T extends Record<string, string | number | boolean>>(argv: string[], defaults: T): T {
  const options: Record<string, string | number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const name = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!flag.startsWith('--') || !(name in defaults)) throw new Error(`unknown option ${flag}; options: ${Object.keys(defaults).join(', ')}`);
    if (typeof defaults[name] === 'boolean') {
      options[name] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (typeof defaults[name] === 'number') {
      const parsed = Number(value);
      if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} must be a non-negative number, got ${value}`);
      options[name] = parsed;
    } else {
      options[name] = value;
    }
  }
  return options as T;
}
