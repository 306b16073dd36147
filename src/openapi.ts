import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { OPENAPI_SCHEME } from './auth/decorators/authenticated.decorator';
import type { AppConfig } from './config/app-config';

/** OpenAPI at /docs (UI) and /docs-json, with the three security schemes routes refer to. */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  const doc = new DocumentBuilder()
    .setTitle('Gatehouse')
    .setDescription(
      'OAuth 2.0 authorization server and resource API. Each operation lists the schemes it accepts ' +
        'and, in `x-required-scopes`, the scopes the credential must hold.',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        // Not "JWT" (the library's default): most of these are opaque, checksummed secrets.
        bearerFormat: 'ghat_/ghpat_/ghbot_ token (opaque), or an RFC 9068 JWT for clients set to JWT access tokens',
        description: 'OAuth access token or personal access token',
      },
      OPENAPI_SCHEME.bearer,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Secret <client secret>`, on the few routes that accept it' },
      OPENAPI_SCHEME.secret,
    )
    .addCookieAuth(config.session.cookieName, { type: 'apiKey', in: 'cookie', description: 'Browser session' }, OPENAPI_SCHEME.cookie)
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  relaxDocsStyleSrc(app);
}

const DOCS_UI = /^\/docs(\/|\?|$)/;

/**
 * Swagger UI's page carries inline <style> blocks and style attributes, which the site-wide CSP
 * (style-src 'self') blocks. Allow inline styles on /docs only; scripts stay 'self'.
 */
function relaxDocsStyleSrc(app: INestApplication): void {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onSend', (req, reply, payload, done) => {
    const csp = reply.getHeader('content-security-policy');
    if (DOCS_UI.test(req.url) && typeof csp === 'string') {
      void reply.header('content-security-policy', csp.replace(/style-src 'self'(?=;|$)/, "style-src 'self' 'unsafe-inline'"));
    }
    done(null, payload);
  });
}
