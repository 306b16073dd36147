import fastifyCookie from '@fastify/cookie';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import handlebars from 'handlebars';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { ApiValidationPipe } from './common/api-validation.pipe';
import { registerBodyParsers } from './common/body-parsers';
import { RouteInterceptorRegistry } from './auth/route-interceptor.registry';
import { assignRequestId } from './common/request-id';
import { closeConnectionsWhileDraining, ShutdownState } from './common/drain-on-close';
import { answerWrongMethodWith405 } from './common/method-not-allowed';
import { noStoreForCredentials } from './common/no-store.hook';
import { PinoLoggerService } from './common/pino-logger.service';
import { applySecurityHeaders } from './common/security-headers';
import { ValidationFailedError } from './common/validation-failed.error';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { loadAppConfig } from './configuration';
import { accessLogHook, createRootLogger } from './logging';
import { setupOpenApi } from './openapi';
import { PUBLIC_DIR, ROOT } from './web/web-paths';

/**
 * Builds the fully configured app without listening, so main.ts and the e2e tests run the
 * very same thing. `root` is AppModule except in tests that add a module (examples/).
 */
export async function createApp(root: Type = AppModule): Promise<NestFastifyApplication> {
  // Read before Nest so that the adapter gets the body limit and proxy setting.
  const bootConfig = loadAppConfig(process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: bootConfig.bodyLimitBytes,
    trustProxy: bootConfig.trustProxy,
    logger: false,
    return503OnClosing: true,
    genReqId: assignRequestId,
  });
  const logger = createRootLogger(bootConfig);
  // bodyParser: false: registerBodyParsers installs the JSON and form parsers (with JSON shape limits).
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { logger: new PinoLoggerService(logger), bodyParser: false });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.get(RouteInterceptorRegistry).bindTo(app);

  app
    .getHttpAdapter()
    .getInstance()
    // Response headers are decided once the content type is known; all values are precomputed.
    .addHook('onSend', (req, reply, payload, done) => {
      void reply.header('x-request-id', req.id);
      applySecurityHeaders(reply);
      done(null, payload);
    })
    .addHook('onSend', noStoreForCredentials)
    .addHook('onResponse', accessLogHook(logger));
  closeConnectionsWhileDraining(app.getHttpAdapter().getInstance(), app.get(ShutdownState));
  answerWrongMethodWith405(app.getHttpAdapter().getInstance());
  // No route reads plain text: without this parser a text/plain body is a 415, not a string
  // that a JSON route then misreads as a 400.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  registerBodyParsers(app.getHttpAdapter().getInstance(), bootConfig.bodyLimitBytes);
  await app.register(fastifyCookie);
  app.useStaticAssets({ root: PUBLIC_DIR, prefix: '/static/', decorateReply: false });
  app.setViewEngine({
    engine: { handlebars },
    templates: join(ROOT, 'views'),
    layout: 'layout.hbs',
    // Partials shared by pages: the navigation and flash of every page (layout.hbs); the consent page's
    // scope list also serves the device consent page.
    options: {
      partials: {
        nav: 'partials/nav.hbs',
        flash: 'partials/flash.hbs',
        'client-grant-types': 'partials/client-grant-types.hbs',
        'consent-scopes': 'partials/consent-scopes.hbs',
        'sso-buttons': 'partials/sso-buttons.hbs',
      },
    },
    defaultContext: { appName: 'Gatehouse' },
  });

  app.useGlobalPipes(
    new ApiValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new ValidationFailedError(errors),
    }),
  );
  setupOpenApi(app, config);
  return app;
}
