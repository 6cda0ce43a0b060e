/**
 * Where two JSON values first differ, as a JSON Pointer with both sides, or undefined when they
 * are equal. A drift failure then says what changed instead of printing two 3,000-line documents.
 */
export function firstDifference(committed: unknown, built: unknown, pointer = ''): string | undefined {
  if (Object.is(committed, built)) return undefined;
  const bothObjects = typeof committed === 'object' && typeof built === 'object' && committed !== null && built !== null;
  if (!bothObjects || Array.isArray(committed) !== Array.isArray(built)) {
    return `${pointer || '/'}: the file has ${preview(committed)}, the code ${preview(built)}`;
  }
  const a = committed as Record<string, unknown>;
  const b = built as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const difference = firstDifference(a[key], b[key], `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (difference) return difference;
  }
  return undefined;
}

function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
