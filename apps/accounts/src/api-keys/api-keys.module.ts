import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyStore } from './api-key.store';
import { ActiveKeyCache } from './active-key.cache';

@Module({ providers: [ApiKeyStore, ActiveKeyCache, ApiKeyGuard], exports: [ApiKeyStore, ApiKeyGuard] })
export class ApiKeysModule {}
