import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACCOUNTS_SCHEMA } from '../database/schema';
import { ApiKeyScope } from './api-key-scope';
import { issueKey } from './api-key-secret';

const TABLE = `"${ACCOUNTS_SCHEMA}".api_keys`;

export interface ApiKeyRecord {
  readonly id: string;
  readonly clientId: string;
  readonly scopes: ApiKeyScope[];
  /** Requests per second this key may make; null = the service default. */
  readonly rateLimitPerSecond: number | null;
  readonly description: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** What a verifier needs: the record plus the stored hash it checks the presented secret against. */
export interface StoredApiKey extends ApiKeyRecord {
  readonly secretSha256: Buffer;
}

export interface NewApiKey {
  readonly clientId: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly rateLimitPerSecond?: number;
  readonly description?: string;
}

interface ApiKeyRow {
  id: string;
  client_id: string;
  secret_sha256: Buffer;
  scopes: ApiKeyScope[];
  rate_limit_per_second: number | null;
  description: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, client_id, secret_sha256, scopes, rate_limit_per_second, description, created_at, revoked_at';

/**
 * The api_keys table. Lookups go to the primary on every request rather than through a cache:
 * a revoked key must stop working at once, and the lookup is one primary-key read.
 */
@Injectable()
export class ApiKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns the record and, once only, the key itself. */
  async create(input: NewApiKey): Promise<{ record: ApiKeyRecord; key: string }> {
    const issued = issueKey();
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `INSERT INTO ${TABLE} (id, client_id, secret_sha256, scopes, rate_limit_per_second, description)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [issued.id, input.clientId, issued.secretSha256, input.scopes, input.rateLimitPerSecond ?? null, input.description ?? null],
    );
    return { record: toRecord(rows[0]), key: issued.key };
  }

  /** The key if it exists and is not revoked. */
  async findActive(id: string): Promise<StoredApiKey | undefined> {
    const rows: ApiKeyRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return rows[0] ? { ...toRecord(rows[0]), secretSha256: rows[0].secret_sha256 } : undefined;
  }

  /** Idempotent: revoking a revoked key keeps its first revocation time. Undefined if there is no such key. */
  async revoke(id: string): Promise<ApiKeyRecord | undefined> {
    // Wrapped in a CTE because TypeORM answers a bare UPDATE with [rows, count], not rows.
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `WITH revoked AS (UPDATE ${TABLE} SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM revoked`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async list(clientId?: string): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = clientId
      ? await this.dataSource.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE client_id = $1 ORDER BY created_at, id`, [clientId])
      : await this.dataSource.query(`SELECT ${COLUMNS} FROM ${TABLE} ORDER BY created_at, id`);
    return rows.map(toRecord);
  }
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    clientId: row.client_id,
    scopes: row.scopes,
    rateLimitPerSecond: row.rate_limit_per_second,
    description: row.description,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
