import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isFormPost } from '../sessions/csrf.service';
import { safeReturnPath } from '../sign-in/return-path';
import { PasskeyOptionsRequest } from '../passkeys/dto/passkey.forms';
import { PasskeyError, passkeyErrorBody } from '../passkeys/passkey.error';
import { StepUpDto } from './dto/step-up.dto';
import { STEP_UP_URL, StepUpRequiredError } from './step-up-required.error';
import { stepUpFields, StepUpService } from './step-up.service';

/** An action named the way the 403 names it: `POST /account/tokens`. */
const ACTION = /^(POST|PUT|PATCH|DELETE) \/[\x21-\x7e]{0,240}$/;

/**
 * Re-authenticating on demand (docs/mfa.md#step-up-sudo-mode): `GET /step-up?return=/path` is the page
 * (for a browser sent here, or "confirm access" before a series of actions) and `POST /step-up`
 * checks the password, an authenticator code or a passkey assertion (its options, with this
 * session's challenge, from `POST /step-up/passkey/options`). A form post then goes back to `return` (a
 * same-origin path, else /account); JSON gets `{ authTime, amr, validForSeconds }`. A refused form
 * action re-authenticates on its own page instead (the form posts back to the action itself).
 * Cookie sessions only, full ones only (a partial session is refused by the cookie strategy).
 */
@ApiTags('sessions')
@Controller(STEP_UP_URL.slice(1))
export class StepUpController {
  constructor(
    private readonly stepUp: StepUpService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Authenticated({ schemes: ['cookie'], page: true })
  @ApiExcludeEndpoint()
  @Get()
  async page(@CurrentPrincipal() p: Principal, @Query('return') returnTo: unknown, @Res() reply: FastifyReply) {
    const page = await this.stepUp.pageFor(p, { action: STEP_UP_URL, returnTo: safeReturnPath(returnTo, this.config.publicUrl) });
    return reply.header('cache-control', 'no-store').view('step-up.hbs', { title: 'Confirm access', ...page });
  }

  /**
   * PublicKeyCredentialRequestOptionsJSON for `startAuthentication()` (WebAuthn Level 3 §7.2):
   * `allowCredentials` the user's own passkeys, `userVerification` as PASSKEYS_USER_VERIFICATION,
   * the challenge bound to this session and to step-up (single use, PASSKEYS_CHALLENGE_TIMEOUT_SECONDS).
   * `400 { error: "unknown_credential" }` when the user has no passkey.
   */
  @Authenticated({ schemes: ['cookie'] })
  @Post('passkey/options')
  @HttpCode(200)
  @ApiOkResponse({ description: 'PublicKeyCredentialRequestOptionsJSON; the challenge is this session’s, for step-up only, single use' })
  @ApiBadRequestResponse({ description: 'The account has no passkey (`unknown_credential`)' })
  async passkeyOptions(
    @CurrentPrincipal() p: Principal,
    @Body() _body: PasskeyOptionsRequest,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    void reply.header('cache-control', 'no-store');
    try {
      return reply.send(await this.stepUp.passkeyOptions(p));
    } catch (err) {
      if (!(err instanceof PasskeyError)) throw err;
      return reply.status(err.status).send(passkeyErrorBody(err, String(req.id)));
    }
  }

  @Authenticated({ schemes: ['cookie'], page: true })
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ authTime, amr, validForSeconds }`: the session re-authenticated (a form post: 303 to `return`)' })
  @ApiBadRequestResponse({
    description:
      'No method, a method the user does not have, a malformed password or code, or a refused passkey response (`error` names why: `malformed_response`, `challenge_missing`, `challenge_expired`, `wrong_user`, `unknown_credential`, `verification_failed`, `counter_regression`)',
  })
  @ApiUnauthorizedResponse({ description: 'Wrong password or code' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong attempts for this account or from this IP (Retry-After)' })
  async confirm(@CurrentPrincipal() p: Principal, @Body() body: StepUpDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    const form = isFormPost(req);
    const returnTo = safeReturnPath(body.return, this.config.publicUrl);
    const action = body.action;
    if (action !== undefined && !ACTION.test(action)) {
      return reply
        .status(400)
        .send({ statusCode: 400, error: 'invalid_request', message: 'action must be "METHOD /path", as the 403 named it' });
    }
    const attempt = form
      ? stepUpFields(body as Record<string, unknown>)
      : { method: body.method, password: body.password, code: body.code, response: body.response };
    const verdict = await this.stepUp.verify(req, p, attempt, action ?? `${req.method} ${STEP_UP_URL}`);
    if (!verdict.ok) {
      if (verdict.retryAfter) void reply.header('retry-after', String(verdict.retryAfter));
      if (form)
        throw StepUpRequiredError.page(
          verdict.status,
          await this.stepUp.pageFor(p, { action: STEP_UP_URL, returnTo, error: verdict.message }),
          verdict.retryAfter,
        );
      return reply
        .status(verdict.status)
        .send({ statusCode: verdict.status, error: verdict.error, message: verdict.message, requestId: String(req.id) });
    }
    if (this.stepUp.windowMs === 0 && action) await this.stepUp.grant(p.credential.id, action);
    if (form) return reply.redirect(returnTo, 303);
    return reply.send({
      authTime: verdict.authTime.toISOString(),
      amr: verdict.amr,
      validForSeconds: Math.floor(this.stepUp.windowMs / 1000),
    });
  }
}
