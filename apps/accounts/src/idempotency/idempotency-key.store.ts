import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SignupPrecondition } from '../accounts/account.repository';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';
import { ACCOUNTS_SCHEMA } from '../database/schema';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from './idempotency.errors';
import { StoredResponse } from './stored-response';

const TABLE = `"${ACCOUNTS_SCHEMA}".idempotency_keys`;
/** Forgets the client's ($1) expired keys, as a CTE of the statement that writes its new one. */
const PURGE_EXPIRED = `purged AS (DELETE FROM ${TABLE} WHERE client_scope = $1 AND expires_at <= now())`;

/** One request's hold on a key: who sent it, which key, and what body it was sent with. */
export interface IdempotencyClaim {
  readonly clientScope: string;
  readonly key: string;
  readonly fingerprint: string;
  /** Unique per request: only the request holding the claim may complete or release it. */
  readonly token: string;
}

/** Another request took the claim over: this one's sign-up wrote nothing. */
export class IdempotencyClaimLostError extends Error {
  constructor() {
    super('the idempotency key was taken over by a retry after its lease expired; this request no longer owns it');
    this.name = 'IdempotencyClaimLostError';
  }
}

export type ClaimOutcome = { readonly kind: 'claimed' } | { readonly kind: 'replay'; readonly response: StoredResponse };

interface KeyRow {
  fingerprint: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
}

/**
 * The idempotency_keys table. A key is claimed by inserting an 'in_progress' row in its own
 * short transaction (a single autocommitted statement), so a concurrent request with the same
 * key sees the row at once and is told 409 instead of waiting on the sign-up's locks. The
 * response is stored by the sign-up's own statement (`firstUse()` or `completion()`);
 * `complete()` stores refusals only.
 */
@Injectable()
export class IdempotencyKeyStore {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  /**
   * Claims the key, or returns the stored response to replay. Throws IdempotencyKeyReusedError
   * for another body, IdempotencyKeyInProgressError while the first request is still running.
   */
  async claim(claim: IdempotencyClaim): Promise<ClaimOutcome> {
    // A released key (5xx) may vanish between the insert and the read: then simply try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      // Expired keys are forgotten: purged per scope by the same statement, so the table cannot
      // grow without bound. The purge and the insert see one snapshot, so an expired key with
      // this very name still conflicts here; the read below then finds no live key and the next
      // attempt, after the purge, claims it as new.
      const inserted: unknown[] = await this.dataSource.query(
        `WITH ${PURGE_EXPIRED}
         INSERT INTO ${TABLE} (client_scope, key, fingerprint, status, created_at, expires_at, claim_token, claimed_at)
         VALUES ($1, $2, $3, 'in_progress', now(), now() + make_interval(hours => $4), $5, now())
         ON CONFLICT (client_scope, key) DO NOTHING
         RETURNING 1 AS claimed`,
        [claim.clientScope, claim.key, claim.fingerprint, this.config.idempotencyTtlHours, claim.token],
      );
      if (inserted.length === 1) return { kind: 'claimed' };

      // A claim older than the lease belongs to a request that died (no request runs that long:
      // the pool gives up after seconds). The same body may take it over; its token then makes
      // the old request's completion fail, so the sign-up still happens once.
      const takenOver: unknown[] = await this.dataSource.query(
        `WITH taken AS (
           UPDATE ${TABLE} SET claim_token = $4, claimed_at = now()
            WHERE client_scope = $1 AND key = $2 AND fingerprint = $3 AND status = 'in_progress'
              AND expires_at > now() AND claimed_at < now() - make_interval(secs => $5)
           RETURNING 1)
         SELECT * FROM taken`,
        [claim.clientScope, claim.key, claim.fingerprint, claim.token, this.config.idempotencyLeaseSeconds],
      );
      if (takenOver.length === 1) return { kind: 'claimed' };

      const [row]: KeyRow[] = await this.dataSource.query(
        `SELECT fingerprint, status, response_status, response_headers, response_body
           FROM ${TABLE} WHERE client_scope = $1 AND key = $2 AND expires_at > now()`,
        [claim.clientScope, claim.key],
      );
      if (!row) continue;
      if (row.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
      if (row.status === 'in_progress' || row.response_status === null) throw new IdempotencyKeyInProgressError();
      return { kind: 'replay', response: { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body } };
    }
    // Only reachable if the key keeps being claimed and released under us: the same as in progress.
    throw new IdempotencyKeyInProgressError();
  }

  /** Stores the final response of a refused sign-up, which wrote nothing else (a created one uses completion()). */
  async complete(claim: IdempotencyClaim, response: StoredResponse): Promise<void> {
    const completion = this.completion(claim, response);
    const completed: unknown[] = await this.dataSource.query(`WITH ${completion.name} AS (${completion.sql}) SELECT * FROM ${completion.name}`, [...completion.params]);
    if (completed.length !== 1) throw new IdempotencyClaimLostError();
  }

  /**
   * The common case in one statement: a key this client has not used is stored already completed,
   * with the response, by the sign-up's own statement (which also purges the client's expired
   * keys). When the key exists, or did a moment ago (a concurrent request with it waits on the
   * unique index, then finds it), the statement writes nothing and the caller goes the claim way.
   */
  firstUse(claim: IdempotencyClaim, response: StoredResponse): SignupPrecondition {
    return {
      prelude: PURGE_EXPIRED,
      name: 'stored',
      sql: `INSERT INTO ${TABLE} (client_scope, key, fingerprint, status, response_status, response_headers, response_body,
                                   created_at, expires_at, claim_token, claimed_at)
            VALUES ($1, $2, $3, 'completed', $4, $5::jsonb, $6::jsonb, now(), now() + make_interval(hours => $7), $8, now())
            ON CONFLICT (client_scope, key) DO NOTHING
            RETURNING 1`,
      params: [claim.clientScope, claim.key, claim.fingerprint, response.status, JSON.stringify(response.headers), JSON.stringify(response.body), this.config.idempotencyTtlHours, claim.token],
    };
  }

  /**
   * Storing the response as a CTE for the sign-up's own statement, so it commits with the account
   * and its event or not at all. It applies only while this request still holds the claim: after
   * a lease takeover it returns no row, and the sign-up writes nothing.
   */
  completion(claim: IdempotencyClaim, response: StoredResponse): SignupPrecondition {
    return {
      name: 'completed',
      sql: `UPDATE ${TABLE}
               SET status = 'completed', response_status = $4, response_headers = $5::jsonb, response_body = $6::jsonb
             WHERE client_scope = $1 AND key = $2 AND status = 'in_progress' AND claim_token = $3
             RETURNING 1`,
      params: [claim.clientScope, claim.key, claim.token, response.status, JSON.stringify(response.headers), JSON.stringify(response.body)],
    };
  }

  /** Forgets an unfinished key after an unexpected failure, so the client's retry is processed afresh. */
  async release(claim: IdempotencyClaim): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${TABLE} WHERE client_scope = $1 AND key = $2 AND status = 'in_progress' AND claim_token = $3`, [
      claim.clientScope,
      claim.key,
      claim.token,
    ]);
  }
}
