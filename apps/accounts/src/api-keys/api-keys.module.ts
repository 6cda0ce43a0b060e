import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyStore } from './api-key.store';
import { ActiveKeyCache } from './active-key.cache';
import { ApiKeyAuthenticator } from './api-key.authenticator';

@Module({ providers: [ApiKeyStore, ActiveKeyCache, ApiKeyAuthenticator, ApiKeyGuard], exports: [ApiKeyStore, ApiKeyAuthenticator, ApiKeyGuard] })
export class ApiKeysModule {}
