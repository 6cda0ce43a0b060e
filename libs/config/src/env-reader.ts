/**
 * Reads configuration from an environment once, at start-up, and collects every problem before
 * failing, so an operator fixes a bad deployment in one round instead of one variable at a time.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback?: string): string {
    const value = this.env[name]?.trim();
    if (value) return value;
    if (fallback !== undefined) return fallback;
    this.problems.push(`${name} is required`);
    return '';
  }

  optionalString(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  int(name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  list(name: string, fallback: readonly string[]): string[] {
    const raw = this.env[name]?.trim();
    if (!raw) return [...fallback];
    return raw.split(',').map((s) => s.trim()).filter(Boolean);
  }

  url(name: string, fallback?: string): string {
    const value = this.string(name, fallback);
    if (value) {
      try {
        new URL(value);
      } catch {
        this.problems.push(`${name} must be a URL, got ${JSON.stringify(value)}`);
      }
    }
    return value;
  }

  /** A PostgreSQL connection URL: caught here rather than as an obscure driver error at the first query. */
  postgresUrl(name: string, fallback?: string): string {
    const value = this.string(name, fallback);
    if (!value) return value;
    let protocol: string;
    try {
      protocol = new URL(value).protocol;
    } catch {
      this.problems.push(`${name} must be a URL, got ${JSON.stringify(value)}`);
      return value;
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      this.problems.push(`${name} must be a postgres:// URL, got scheme ${JSON.stringify(protocol)}`);
    }
    return value;
  }

  /** A problem that spans variables or needs the app's own knowledge; reported with the rest by done(). */
  problem(message: string): void {
    this.problems.push(message);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  /** Throws one ConfigError listing everything wrong; call after reading every variable. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
