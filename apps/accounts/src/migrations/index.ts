import { CreateAccounts1764028800000 } from './1764028800000-create-accounts';

/**
 * Listed explicitly rather than globbed: the app runs from TypeScript sources under SWC and
 * from tests alike, and an explicit list cannot silently pick up nothing.
 */
export const ACCOUNTS_MIGRATIONS = [CreateAccounts1764028800000];
