import { BadRequestProblem, PreconditionRequiredProblem } from '../problem-details/http-problems';
import { StaleVersionError } from './account.errors';

/**
 * An If-Match precondition on the account version (RFC 9110 §13.1.1). `any` is `If-Match: *`:
 * the client asks only that the account exists. ETags are strong ("3"); a weak tag never
 * matches, as strong comparison requires.
 */
export type VersionPrecondition = { readonly kind: 'any' } | { readonly kind: 'versions'; readonly versions: readonly number[] };

export function parseIfMatch(header: string | string[] | undefined): VersionPrecondition | undefined {
  const raw = (Array.isArray(header) ? header.join(',') : header)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw === '*') return { kind: 'any' };
  const versions: number[] = [];
  for (const part of raw.split(',')) {
    const tag = part.trim();
    const strong = /^"(\d{1,9})"$/.exec(tag);
    if (strong) versions.push(Number(strong[1]));
    else if (/^W\/"[^"]*"$/.test(tag) || /^"[^"]*"$/.test(tag)) continue;
    else {
      throw new BadRequestProblem({
        code: 'INVALID_IF_MATCH',
        detail: 'If-Match must be "*" or a list of entity tags such as "3", as returned in the ETag header.',
      });
    }
  }
  return { kind: 'versions', versions };
}

/** For PATCH the precondition is mandatory: an update without it could silently undo someone else's. */
export function requireIfMatch(header: string | string[] | undefined): VersionPrecondition {
  const precondition = parseIfMatch(header);
  if (!precondition) {
    throw new PreconditionRequiredProblem({
      code: 'IF_MATCH_REQUIRED',
      title: 'Precondition required',
      detail: 'Send If-Match with the ETag of the account as you last read it, so concurrent updates are not lost.',
    });
  }
  return precondition;
}

export function checkVersion(precondition: VersionPrecondition | undefined, currentVersion: number): void {
  if (!precondition || precondition.kind === 'any') return;
  if (!precondition.versions.includes(currentVersion)) throw new StaleVersionError(precondition.versions, currentVersion);
}
