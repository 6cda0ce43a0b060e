/**
 * No request of this API nests deeper than a few levels, but a 64 KB body can nest 32,000 deep,
 * and the code after the parser walks bodies recursively (the Idempotency-Key fingerprint, the
 * schema validator): such a body overflowed the stack and came back as a 500. The bytes are
 * scanned before parsing, so nothing recursive ever sees one.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of objects and arrays in JSON text, brackets inside strings not counted. */
export function jsonDepth(bytes: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) deepest = Math.max(deepest, ++depth);
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return deepest;
}

/**
 * body-parser's `verify` hook. Throws a SyntaxError with status 400, which the problem filter
 * renders as MALFORMED_JSON like any other body the parser refuses.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, bytes: Buffer): void {
  if (jsonDepth(bytes) > MAX_JSON_DEPTH) {
    throw Object.assign(new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, type: 'entity.parse.failed' });
  }
}
