/**
 * Prints, as JSON, the statement the service commits for one sign-up of the body given as the
 * first argument (a CreateAccountCommand as JSON): bench/signups.ts turns it into pgbench's
 * script, so pgbench runs the service's own statement without the bench importing its code.
 */
import type { CreateAccountCommand } from '../accounts/create-account.service';
import { signup } from './signup-statement';

const body = process.argv[2];
if (!body) {
  process.stderr.write('usage: signup-statement.cli.ts \'{"email":…,"displayName":…}\'\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(signup(JSON.parse(body) as CreateAccountCommand).statement)}\n`);
