import { AccountResponse, accountLocation, toAccountResponse } from '../../apps/accounts/src/accounts/account.response';
import { insertAccountStatement } from '../../apps/accounts/src/accounts/account.repository';
import type { PreparedStatement } from '../../apps/accounts/src/database/prepared-statement';
import { CreateAccountCommand, accountCreatedEvent, newAccount } from '../../apps/accounts/src/accounts/create-account.service';

/**
 * The sign-up the floor servers perform: the service's own account, account.created.v1 event,
 * single statement (sent, as the service sends it, as a named prepared statement) and response body, from a body they trust as it is (nothing is validated).
 */
export function signup(body: CreateAccountCommand): { statement: PreparedStatement; response: AccountResponse; location: string } {
  const now = new Date();
  const account = newAccount(body, now);
  return { statement: insertAccountStatement(account, [accountCreatedEvent(account, {}, now)]), response: toAccountResponse(account), location: accountLocation(account.id) };
}
