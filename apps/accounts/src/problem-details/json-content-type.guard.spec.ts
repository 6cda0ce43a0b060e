import { ExecutionContext } from '@nestjs/common';
import { JsonContentTypeGuard } from './json-content-type.guard';
import { UnsupportedMediaTypeProblem } from './http-problems';

function contextFor(method: string, headers: Record<string, string>): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ method, headers }) }),
  } as unknown as ExecutionContext;
}

describe('JsonContentTypeGuard', () => {
  const guard = new JsonContentTypeGuard();

  it('lets JSON bodies, bodiless requests and reads through', () => {
    expect(guard.canActivate(contextFor('POST', { 'content-type': 'application/json', 'content-length': '2' }))).toBe(true);
    expect(guard.canActivate(contextFor('PATCH', { 'content-type': 'application/merge-patch+json', 'content-length': '2' }))).toBe(true);
    expect(guard.canActivate(contextFor('POST', {}))).toBe(true);
    expect(guard.canActivate(contextFor('GET', { 'content-type': 'text/plain', 'content-length': '5' }))).toBe(true);
  });

  it('refuses another body type with 415, telling POST and PATCH clients what is accepted', () => {
    const refuse = (method: string, headers: Record<string, string>) => {
      try {
        guard.canActivate(contextFor(method, headers));
      } catch (error) {
        return error as UnsupportedMediaTypeProblem;
      }
      throw new Error('expected a refusal');
    };
    const post = refuse('POST', { 'content-type': 'text/plain', 'content-length': '5' });
    expect(post).toBeInstanceOf(UnsupportedMediaTypeProblem);
    expect(post.status).toBe(415);
    expect(post.headers['Accept-Post']).toContain('application/json');
    expect(refuse('PATCH', { 'transfer-encoding': 'chunked' }).headers['Accept-Patch']).toContain('application/merge-patch+json');
    expect(refuse('POST', { 'content-length': '3' }).detail).toContain('no Content-Type');
  });
});
