import { Module } from '@nestjs/common';
import { CreateAccountHttpController } from './create-account.http.controller';
import { CreateAccountService } from './create-account.service';
import { CreateAccountIdempotentlyService } from './create-account-idempotently.service';
import { GetAccountHttpController } from './get-account.http.controller';
import { GetAccountService } from './get-account.service';
import { ListAccountsHttpController } from './list-accounts.http.controller';
import { ListAccountsService } from './list-accounts.service';
import { ChangeAccountStatusHttpController } from './change-account-status.http.controller';
import { ChangeAccountStatusService } from './change-account-status.service';
import { UpdateAccountHttpController } from './update-account.http.controller';
import { UpdateAccountService } from './update-account.service';
import { IdempotencyKeyStore } from '../idempotency/idempotency-key.store';

@Module({
  controllers: [
    ListAccountsHttpController,
    CreateAccountHttpController,
    GetAccountHttpController,
    UpdateAccountHttpController,
    ChangeAccountStatusHttpController,
  ],
  providers: [
    CreateAccountService,
    CreateAccountIdempotentlyService,
    GetAccountService,
    ListAccountsService,
    UpdateAccountService,
    ChangeAccountStatusService,
    IdempotencyKeyStore,
  ],
})
export class AccountsModule {}
