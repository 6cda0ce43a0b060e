import { CreateAccounts1764028800000 } from './1764028800000-create-accounts';
import { CreateIdempotencyKeys1764201600000 } from './1764201600000-create-idempotency-keys';
import { CreateApiKeys1764460800000 } from './1764460800000-create-api-keys';
import { IdempotencyClaimLease1764547200000 } from './1764547200000-idempotency-claim-lease';
import { NotifyOutboxAfterCommit1764633600000 } from './1764633600000-notify-outbox-after-commit';
import { IdempotencyScopeExpiryIndex1764720000000 } from './1764720000000-idempotency-scope-expiry-index';

/**
 * Listed explicitly rather than globbed: the app runs from TypeScript sources under SWC and
 * from tests alike, and an explicit list cannot silently pick up nothing.
 */
export const ACCOUNTS_MIGRATIONS = [
  CreateAccounts1764028800000, CreateIdempotencyKeys1764201600000, CreateApiKeys1764460800000, IdempotencyClaimLease1764547200000,
  NotifyOutboxAfterCommit1764633600000, IdempotencyScopeExpiryIndex1764720000000,
];
