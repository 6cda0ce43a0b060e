import { Injectable, PipeTransform } from '@nestjs/common';
import { BadRequestProblem } from '../problem-details/http-problems';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects a malformed id with 400 before it reaches PostgreSQL, where it would be a cast error (a 500). */
@Injectable()
export class AccountIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) {
      throw new BadRequestProblem({ code: 'INVALID_ACCOUNT_ID', title: 'Invalid account id', detail: 'An account id is a UUID.' });
    }
    return value.toLowerCase();
  }
}
