import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ACCEPTED_JSON_MEDIA_TYPES, isJsonMediaType, mediaTypeEssence, requestHasBody } from './media-type';
import { UnsupportedMediaTypeProblem } from './http-problems';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Refuses a body that is not JSON with 415 instead of letting it reach the handler as "no
 * body" and come back as a confusing 400. A guard rather than a middleware: it runs only for a
 * matched route, so an unknown path is still 404 and a wrong method still 405, whatever the body.
 */
@Injectable()
export class JsonContentTypeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!METHODS_WITH_BODY.has(request.method) || !requestHasBody(request.headers)) return true;
    const contentType = request.headers['content-type'];
    if (isJsonMediaType(contentType)) return true;
    const accepted = ACCEPTED_JSON_MEDIA_TYPES.join(', ');
    throw new UnsupportedMediaTypeProblem({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: `The request body must be JSON (${accepted}); got ${mediaTypeEssence(contentType) ?? 'no Content-Type'}.`,
      // RFC 9110 §15.5.16 / RFC 5789: tell the client what would have been accepted.
      headers: request.method === 'PATCH' ? { 'Accept-Patch': accepted } : { 'Accept-Post': accepted },
    });
  }
}
