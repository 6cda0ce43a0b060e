/**
 * `--name value` or `--name=value` (as `nx run` forwards options) into the shape of `defaults`,
 * for the platform's own command-line tools (benches, the chaos and overload runs). Kebab-case
 * flags name camelCase options. Numbers stay numbers (non-negative); a boolean option is true as
 * a bare flag and false as `--name=false`. An unknown flag or a missing value is an error, so a
 * typo never runs a silently different tool.
 */
export function parseFlags<T extends Record<string, string | number | boolean>>(argv: readonly string[], defaults: T): T {
  const options: Record<string, string | number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const name = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!flag.startsWith('--') || !(name in defaults)) throw new Error(`unknown option ${flag}; options: ${Object.keys(defaults).map(kebab).join(', ')}`);
    if (typeof defaults[name] === 'boolean') {
      options[name] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (typeof defaults[name] === 'number') {
      const parsed = Number(value);
      if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} must be a non-negative number, got ${value}`);
      options[name] = parsed;
    } else {
      options[name] = value;
    }
  }
  return options as T;
}

function kebab(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
