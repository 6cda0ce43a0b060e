import { SetMetadata } from '@nestjs/common';
import { ApiKeyScope } from './api-key-scope';

export const REQUIRED_SCOPE = 'accounts:required-scope';
export const PUBLIC_ROUTE = 'accounts:public-route';

/** The scope a key needs for this handler (or every handler of the controller). */
export const RequiresScope = (scope: ApiKeyScope) => SetMetadata(REQUIRED_SCOPE, scope);

/**
 * No key needed: probes and the API description only. Every other route must say which scope it
 * needs; the guard refuses routes that say neither, so a forgotten decorator fails closed.
 */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
