import { AccountResponse, accountLocation, toAccountResponse } from '../accounts/account.response';
import { insertAccountStatement } from '../accounts/account.repository';
import type { PreparedStatement } from '../database/prepared-statement';
import { CreateAccountCommand, accountCreatedEvent, newAccount } from '../accounts/create-account.service';

// The floors of bench/signups.ts live here, in the accounts app, because they are its own
// sign-up code with less around it; the bench runs them as processes and imports none of it.

/**
 * The sign-up the floor servers perform: the service's own account, account.created.v1 event,
 * single statement (sent, as the service sends it, as a named prepared statement) and response body, from a body they trust as it is (nothing is validated).
 */
export function signup(body: CreateAccountCommand): { statement: PreparedStatement; response: AccountResponse; location: string } {
  const now = new Date();
  const account = newAccount(body, now);
  return { statement: insertAccountStatement(account, [accountCreatedEvent(account, {}, now)]), response: toAccountResponse(account), location: accountLocation(account.id) };
}
