import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyStore } from './api-key.store';

@Module({ providers: [ApiKeyStore, ApiKeyGuard], exports: [ApiKeyStore, ApiKeyGuard] })
export class ApiKeysModule {}
