import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { PublicRoute, RequiresScope } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';
import { handler, handlerRoute } from './handler-route';

@Controller('v1/things')
@RequiresScope(ApiKeyScope.Read)
class ThingsController {
  @Get()
  list(): void {}

  @Post(':id/archive')
  @RequiresScope(ApiKeyScope.Admin)
  @HttpCode(200)
  archive(): void {}

  @Post()
  create(): void {}

  @Delete(':thingId/parts/:partId')
  @HttpCode(204)
  removePart(): void {}

  @Get('*rest')
  wildcard(): void {}

  notARoute(): void {}
}

@Controller('/open/')
class OpenController {
  @Get('ping')
  @PublicRoute()
  ping(): void {}

  @Get('pong')
  unguarded(): void {}
}

describe('handlerRoute', () => {
  it('reads method, OpenAPI path, success status and scope from the decorators Nest and the guards read', () => {
    expect(handlerRoute(handler(ThingsController, 'list'))).toEqual({
      method: 'get',
      path: '/v1/things',
      successStatus: 200,
      access: { kind: 'scope', scope: ApiKeyScope.Read },
    });
    expect(handlerRoute(handler(ThingsController, 'archive'))).toEqual({
      method: 'post',
      path: '/v1/things/{id}/archive',
      successStatus: 200,
      access: { kind: 'scope', scope: ApiKeyScope.Admin },
    });
    expect(handlerRoute(handler(ThingsController, 'create'))).toMatchObject({ method: 'post', path: '/v1/things', successStatus: 201 });
    expect(handlerRoute(handler(ThingsController, 'removePart'))).toMatchObject({
      method: 'delete',
      path: '/v1/things/{thingId}/parts/{partId}',
      successStatus: 204,
    });
  });

  it('tells public routes from ones that declare nothing', () => {
    expect(handlerRoute(handler(OpenController, 'ping'))).toMatchObject({ path: '/open/ping', access: { kind: 'public' } });
    expect(handlerRoute(handler(OpenController, 'unguarded')).access).toEqual({ kind: 'undeclared' });
  });

  it('refuses what it cannot document rather than guessing', () => {
    expect(() => handlerRoute(handler(ThingsController, 'wildcard'))).toThrow(/cannot be documented/);
    expect(() => handlerRoute(handler(ThingsController, 'notARoute'))).toThrow(/no route decorator/);
  });
});
