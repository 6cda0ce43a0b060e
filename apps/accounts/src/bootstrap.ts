import { LogLevel, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage } from 'node:http';
import type { ConsumerDeclaration } from '@platform/contracts';
import { observeHttpRequests, recordHttpRoute } from '@platform/observability';
import { AccountsConfig } from './config';
import { AppModule } from './app.module';
import { connectInbox } from './inbox/connect-inbox';
import { ApiKeyGuard } from './api-keys/api-key.guard';
import { BackPressureGuard } from './back-pressure/back-pressure.guard';
import { limitRequestsInFlight } from './back-pressure/in-flight-limit';
import { inFlightMetrics } from './back-pressure/in-flight.metrics';
import { applyRequestTimeouts } from './back-pressure/request-timeouts';
import { ApiKeyAuthenticator } from './api-keys/api-key.authenticator';
import { authenticateBeforeBody } from './api-keys/authenticate-before-body';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { JsonContentTypeGuard } from './problem-details/json-content-type.guard';
import { isJsonMediaType } from './problem-details/media-type';
import { ProblemDetailsFilter } from './problem-details/problem-details.filter';
import { answerClientErrorsWithProblems } from './problem-details/client-errors';
import { verifyJsonDepth } from './problem-details/json-depth';
import { RouteCatalog, expressRoutes } from './problem-details/route-catalog';
import { SWAGGER_UI_ASSETS_PREFIX, swaggerUiAssetsDirectory } from './openapi/swagger-ui-assets';
import { accountProblem } from './accounts/account-http-errors';
import { idempotencyProblem } from './idempotency/idempotency-http-errors';

export interface CreateAppOptions {
  readonly logger?: LoggerService | LogLevel[] | false;
  /**
   * Another consumer group than `accounts`, for tests on the shared broker: they must not take
   * partitions from (or commit offsets for) the real group. Not configurable from the environment.
   */
  readonly inboxConsumer?: ConsumerDeclaration;
}

/**
 * Builds the HTTP app (and, when enabled, its Kafka inbox) from a config. main.ts and the
 * integration tests both start the service through here, so tests exercise the real wiring:
 * body limit, problem details, content-type rules.
 */
export async function createAccountsApp(config: AccountsConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    // Our own JSON parser below: Nest's default would also accept urlencoded bodies, with its own limit.
    bodyParser: false,
    // Throw instead of process.abort() on a start-up failure, so main.ts can report it clearly.
    abortOnError: false,
    logger: options.logger,
  });
  // First: it names each request's span and metrics by the route it matched.
  app.use(recordHttpRoute);
  app.disable('x-powered-by');
  answerClientErrorsWithProblems(app.getHttpServer());
  // Express would add weak ETags to every body, problem documents included; account responses set
  // their own strong ETag from the row version, and nothing else should carry one.
  app.set('etag', false);
  // Request durations and the caller's trace context while tracing is off (the HTTP
  // instrumentation gives both while tracing).
  observeHttpRequests(app.getHttpServer());
  // In front of Express altogether, and of the above: shedding load must cost next to nothing.
  limitRequestsInFlight(
    app.getHttpServer(),
    { maxInFlight: config.backPressure.maxInFlight, retryAfterSeconds: config.backPressure.poolRetryAfterSeconds, bodyLimitBytes: config.bodyLimitBytes },
    inFlightMetrics(),
  );
  // Slow clients: each bound ends with the connection closed and the request's slot given back.
  applyRequestTimeouts(app.getHttpServer(), config.requestTimeouts);
  // Before the body parser: a body without a valid key is refused unread.
  app.use(authenticateBeforeBody(app.get(ApiKeyAuthenticator)));
  const jsonOptions = {
    limit: config.bodyLimitBytes,
    // Only JSON is parsed; a request with another type keeps no body and is refused with 415 by the guard.
    type: (req: IncomingMessage) => isJsonMediaType(req.headers['content-type']),
    // Top-level objects and arrays only: a bare string or number is never a valid request here.
    strict: true,
    // Nest's types reserve `verify` for its rawBody option, which this app does not use; passed
    // through a variable because the object literal would be refused for it.
    verify: verifyJsonDepth,
  };
  app.useBodyParser('json', jsonOptions);
  // Swagger UI's files for GET /docs (DocsHttpController). Static middleware, ahead of the
  // guards: public like the page, and nothing in it needs a connection or a key.
  app.useStaticAssets(swaggerUiAssetsDirectory(), { prefix: SWAGGER_UI_ASSETS_PREFIX, index: false, redirect: false });
  const routes = new RouteCatalog(() => expressRoutes(app.getHttpAdapter().getInstance()));
  app.useGlobalFilters(
    new ProblemDetailsFilter({
      bodyLimitBytes: config.bodyLimitBytes,
      routes,
      overloadRetryAfterSeconds: config.backPressure.poolRetryAfterSeconds,
      domainProblems: [accountProblem, idempotencyProblem],
    }),
  );
  // In this order: shedding load costs nothing and must come before the key lookup, which needs
  // a connection; the rate limit needs to know the key; the body type is checked last, so an
  // unauthenticated caller learns nothing about what a route accepts.
  app.useGlobalGuards(app.get(BackPressureGuard), app.get(ApiKeyGuard), app.get(RateLimitGuard), new JsonContentTypeGuard());
  // Connected here, started by the caller with app.startAllMicroservices(), so a test can build
  // the app, inspect it, and decide when the consumer joins the group.
  if (config.inboxEnabled) connectInbox(app, config, options.inboxConsumer);
  return app;
}
