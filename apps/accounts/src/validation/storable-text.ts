import type { FieldError } from '../problem-details/http-problems';

/**
 * JSON may carry strings PostgreSQL cannot store: U+0000 (text and jsonb refuse it) and unpaired
 * UTF-16 surrogates (`"\ud800"`, which jsonb refuses). They passed the schema and failed in the
 * INSERT of the account, its event or its stored idempotent response, as a 500. Found by the
 * fuzz run; refused here as a 400 naming the field, before any statement runs.
 */
export function unstorableStrings(body: unknown, limit = 10): FieldError[] {
  const errors: FieldError[] = [];
  // Iterative: the body may nest as deep as the parser lets it.
  const stack: { value: unknown; pointer: string }[] = [{ value: body, pointer: '' }];
  while (stack.length > 0 && errors.length < limit) {
    const { value, pointer } = stack.pop()!;
    if (typeof value === 'string') {
      if (!isStorable(value)) errors.push({ pointer, detail: 'must not contain NUL characters or unpaired surrogates' });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, pointer: `${pointer}/${index}` }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const child = `${pointer}/${pointerSegment(key)}`;
        if (!isStorable(key)) errors.push({ pointer: child, detail: 'names a field with NUL characters or unpaired surrogates' });
        else stack.push({ value: item, pointer: child });
      }
    }
  }
  return errors;
}

// String.prototype.isWellFormed is ES2024, past this build's lib.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function isStorable(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** RFC 6901 escaping, and the offending characters replaced: the pointer itself must be storable. */
function pointerSegment(key: string): string {
  return key.replace(LONE_SURROGATE, '\ufffd').replace(/\u0000/g, '\ufffd').replace(/~/g, '~0').replace(/\//g, '~1');
}
