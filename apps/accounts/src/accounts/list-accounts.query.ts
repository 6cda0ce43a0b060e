import { BadRequestProblem, FieldError, RequestValidationProblem } from '../problem-details/http-problems';
import { AccountStatus, isAccountStatus } from './account-state';
import { normalizeEmail } from './account-fields';
import { isStorable } from '../validation/storable-text';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface ListAccountsQuery {
  /** Normalised like stored emails, so the filter finds an account in whatever case it was typed. */
  readonly email?: string;
  readonly status?: AccountStatus;
  readonly limit: number;
  readonly after?: Cursor;
}

/** Position after the last item of a page, in the (created_at, id) order of the index. */
export interface Cursor {
  readonly createdAt: Date;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cursor is opaque to clients (base64url) so its shape can change; keyset paging keeps
 * pages stable while accounts are being created, which offset paging would not.
 */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): Cursor | undefined {
  const [createdAt, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const time = new Date(createdAt ?? '');
  if (rest.length > 0 || !id || !UUID.test(id) || !isStorableTime(time)) return undefined;
  return { createdAt: time, id };
}

/**
 * JavaScript dates reach ±275,760 years, PostgreSQL timestamps only 4713 BC to 294,276 AD: a
 * forged cursor outside that range failed in the query as a 500. No account was created outside
 * years 1–9999, so a cursor outside them was never issued.
 */
function isStorableTime(time: Date): boolean {
  const year = time.getUTCFullYear();
  return !Number.isNaN(year) && year >= 1 && year <= 9999;
}

export function parseListAccountsQuery(query: Record<string, unknown>): ListAccountsQuery {
  const errors: FieldError[] = [];
  const known = new Set(['email', 'status', 'limit', 'cursor']);
  for (const name of Object.keys(query)) {
    if (!known.has(name)) errors.push({ pointer: `/${name}`, detail: 'is not an accepted query parameter' });
  }
  const emailRaw = single(query.email);
  const email = emailRaw === undefined ? undefined : normalizeEmail(emailRaw);
  // NUL or a lone surrogate cannot be sent to PostgreSQL: it failed the query as a 500 (fuzz run).
  if (email !== undefined && (email.length === 0 || email.length > 320 || !isStorable(email))) {
    errors.push({ pointer: '/email', detail: 'must be an email address of at most 320 characters' });
  }
  const status = single(query.status);
  if (status !== undefined && !isAccountStatus(status)) {
    errors.push({ pointer: '/status', detail: 'must be one of pending, active, suspended, closed' });
  }
  const limitRaw = single(query.limit);
  const limit = limitRaw === undefined ? DEFAULT_PAGE_SIZE : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    errors.push({ pointer: '/limit', detail: `must be an integer between 1 and ${MAX_PAGE_SIZE}` });
  }
  const cursorRaw = single(query.cursor);
  const after = cursorRaw === undefined ? undefined : decodeCursor(cursorRaw);
  if (cursorRaw !== undefined && !after) errors.push({ pointer: '/cursor', detail: 'must be a cursor returned as nextCursor' });
  if (errors.length > 0) throw new RequestValidationProblem(errors, 'The query string is invalid; see errors for each offending parameter.');
  return { email, status: status as AccountStatus | undefined, limit, after };
}

function single(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // ?limit=1&limit=2 or ?status[x]=y: ambiguous, refuse rather than pick one.
  throw new BadRequestProblem({ code: 'VALIDATION_FAILED', title: 'Invalid request', detail: 'Each query parameter may be given once, as a plain value.' });
}
