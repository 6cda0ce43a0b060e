import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Verdict } from '@platform/contracts';
import { ACCOUNTS_SCHEMA } from '../database/schema';
import type { AccountStatus } from './account-state';

export const ProvisioningStatus = { Provisioned: 'provisioned', Failed: 'failed' } as const;
export type ProvisioningStatus = (typeof ProvisioningStatus)[keyof typeof ProvisioningStatus];

/** Names of the unique indexes, matched against the driver's 23505 error to say which value clashed. */
export const AccountConstraint = {
  EmailUnique: 'accounts_email_normalized_key',
  ExternalIdUnique: 'accounts_external_id_key',
} as const;

/**
 * The row as stored. The table itself is defined by the migrations (synchronize is off); this
 * class only maps columns, so a change here without a migration fails loudly at the first query.
 */
@Entity({ schema: ACCOUNTS_SCHEMA, name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** As the person typed it (trimmed), for display and mail. */
  @Column({ type: 'text' })
  email!: string;

  /** Trimmed and lower-cased; its unique index is what makes an email register only once. */
  @Column({ type: 'text', name: 'email_normalized' })
  emailNormalized!: string;

  @Column({ type: 'text', name: 'display_name' })
  displayName!: string;

  @Column({ type: 'text' })
  locale!: string;

  @Column({ type: 'text' })
  plan!: string;

  @Column({ type: 'text', name: 'external_id', nullable: true })
  externalId!: string | null;

  @Column({ type: 'text' })
  status!: AccountStatus;

  @Column({ type: 'text', name: 'signup_ip', nullable: true })
  signupIp!: string | null;

  @Column({ type: 'text', name: 'signup_user_agent', nullable: true })
  signupUserAgent!: string | null;

  /** Incremented by every change of the row; it is the ETag, so If-Match detects lost updates. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'jsonb', name: 'suspension_reasons', nullable: true })
  suspensionReasons!: string[] | null;

  @Column({ type: 'text', name: 'abuse_verdict', nullable: true })
  abuseVerdict!: Verdict | null;

  @Column({ type: 'double precision', name: 'abuse_score', nullable: true })
  abuseScore!: number | null;

  @Column({ type: 'text', name: 'provisioning_status', nullable: true })
  provisioningStatus!: ProvisioningStatus | null;

  @Column({ type: 'text', name: 'workspace_schema', nullable: true })
  workspaceSchema!: string | null;
}
