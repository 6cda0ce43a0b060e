import type { Response } from 'express';
import type { Verdict } from '@platform/contracts';
import { AccountEntity, ProvisioningStatus } from './account.entity';
import { AccountStatus } from './account-state';

/**
 * The account as the API shows it: profile, lifecycle, and what the abuse scan and provisioning
 * reported (null until they have). The signup context stays internal: it is only kept for the scan.
 */
export interface AccountResponse {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  plan: string;
  externalId: string | null;
  status: AccountStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  suspensionReasons: string[] | null;
  abuseVerdict: Verdict | null;
  abuseScore: number | null;
  provisioningStatus: ProvisioningStatus | null;
  workspaceSchema: string | null;
}

export function toAccountResponse(account: AccountEntity): AccountResponse {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    locale: account.locale,
    plan: account.plan,
    externalId: account.externalId,
    status: account.status,
    version: account.version,
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
    closedAt: account.closedAt ? account.closedAt.toISOString() : null,
    suspensionReasons: account.suspensionReasons,
    abuseVerdict: account.abuseVerdict,
    abuseScore: account.abuseScore,
    provisioningStatus: account.provisioningStatus,
    workspaceSchema: account.workspaceSchema,
  };
}

export function accountLocation(accountId: string): string {
  return `/v1/accounts/${accountId}`;
}

/** A strong ETag from the row version: any change of the account changes it. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Sets the headers every single-account response carries and returns the body. */
export function respondWithAccount(res: Response, account: AccountEntity): AccountResponse {
  res.setHeader('ETag', etagOf(account.version));
  // Account data is personal: intermediaries must not keep it.
  res.setHeader('Cache-Control', 'no-store');
  return toAccountResponse(account);
}
