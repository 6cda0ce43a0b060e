/**
 * JSON media types the API reads: application/json and any structured-syntax `+json` type
 * (application/merge-patch+json for PATCH). Parameters such as charset are ignored here; the
 * body parser rejects charsets it cannot decode.
 */
export const ACCEPTED_JSON_MEDIA_TYPES = ['application/json', 'application/merge-patch+json'] as const;

export function mediaTypeEssence(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const essence = contentType.split(';', 1)[0].trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

export function isJsonMediaType(contentType: string | undefined): boolean {
  const essence = mediaTypeEssence(contentType);
  if (!essence) return false;
  return essence === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(essence);
}

/** The test body-parser's type-is applies: a request has a body when it says it is sending one. */
export function requestHasBody(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && !Number.isNaN(Number(length)) && Number(length) > 0;
}
