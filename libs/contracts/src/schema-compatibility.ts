/**
 * Within one event version, a schema may only grow optional fields. Anything else would break a
 * consumer still running the previous build (it validates new events against its own schema) or
 * a replay of old events through the new build. Breaking changes get a new version (`.v2`) that
 * consumers adopt side by side with the old one.
 */
type Schema = Record<string, unknown>;

const CONSTRAINT_KEYS = ['type', 'format', 'enum', 'const', 'minLength', 'maxLength', 'minimum', 'maximum', 'pattern', 'nullable', 'minItems', 'maxItems', 'additionalProperties'];

function asSchema(value: unknown): Schema {
  return value && typeof value === 'object' ? (value as Schema) : {};
}

export function compatibilityProblems(locked: unknown, current: unknown, path = ''): string[] {
  const before = asSchema(locked);
  const after = asSchema(current);
  const problems: string[] = [];
  const here = path || '/';

  for (const key of CONSTRAINT_KEYS) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      problems.push(`${here}: ${key} changed from ${JSON.stringify(before[key])} to ${JSON.stringify(after[key])}`);
    }
  }

  const requiredBefore = new Set((before.required as string[] | undefined) ?? []);
  const requiredAfter = new Set((after.required as string[] | undefined) ?? []);
  for (const name of requiredAfter) if (!requiredBefore.has(name)) problems.push(`${path}/${name}: became required`);
  for (const name of requiredBefore) if (!requiredAfter.has(name)) problems.push(`${path}/${name}: is no longer required`);

  const propsBefore = asSchema(before.properties);
  const propsAfter = asSchema(after.properties);
  for (const name of Object.keys(propsBefore)) {
    if (!(name in propsAfter)) problems.push(`${path}/${name}: was removed`);
    else problems.push(...compatibilityProblems(propsBefore[name], propsAfter[name], `${path}/${name}`));
  }
  if (before.items || after.items) problems.push(...compatibilityProblems(before.items, after.items, `${path}/items`));
  return problems;
}
