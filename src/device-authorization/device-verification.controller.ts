import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { CsrfService } from '../sessions/csrf.service';
import { CodeRejection, Decision, DeviceVerificationService, VerifiedRequest } from './device-verification.service';
import { DeviceDecisionForm, UserCodeEntryForm } from './dto/user-code-entry.form';

const PAGE = { schemes: ['cookie'], page: true } as const;

const REJECTION_MESSAGES: Record<CodeRejection['reason'], string> = {
  throttled: 'Too many codes entered. Wait a while, then try again.',
  unavailable: 'Codes cannot be checked right now. Try again in a moment.',
  malformed: 'That is not a device code. Codes are 8 letters, like BCDF-GHJK.',
  unknown: 'That code is wrong, has expired or was already used. Check the code your device shows, or start again on the device.',
};

const OUTCOMES: Record<Decision, { title: string; message: string }> = {
  approved: { title: 'Device connected', message: 'The device now has access. You can return to it; it will continue by itself.' },
  denied: { title: 'Request denied', message: 'The device was not given access.' },
  nothing_grantable: {
    title: 'Request denied',
    message: 'You hold none of the permissions the device asked for, so it was not given access.',
  },
  gone: {
    title: 'Request no longer open',
    message: 'This request was already decided or has expired. Start again on the device if needed.',
  },
};

/**
 * The verification URI (RFC 8628 §3.3): `GET /device` asks for the code (pre-filled from
 * verification_uri_complete, but always confirmed by the user, §5.4), `POST /device` shows
 * the consent page, `POST /device/decision` applies Approve or Deny. Signed-in browser users
 * only: anyone else signs in first and comes back.
 */
@ApiExcludeController()
@Controller('device')
export class DeviceVerificationController {
  constructor(
    private readonly verification: DeviceVerificationService,
    private readonly csrf: CsrfService,
  ) {}

  @Authenticated(PAGE)
  @Get()
  entry(@CurrentPrincipal() p: Principal, @Query('user_code') userCode: unknown, @Res() reply: FastifyReply) {
    const prefilled = typeof userCode === 'string' && userCode.length <= 32 ? userCode : '';
    return this.renderEntry(p, reply, { userCode: prefilled });
  }

  @Authenticated(PAGE)
  @Post()
  @HttpCode(200)
  async enter(@CurrentPrincipal() p: Principal, @Body() form: UserCodeEntryForm, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const verified = await this.verification.verify(p, form.user_code, requestMeta(req));
    if ('reason' in verified) return this.renderRejection(p, reply, verified, form.user_code);
    return this.renderConsent(p, reply, verified);
  }

  @Authenticated(PAGE)
  @Post('decision')
  @HttpCode(200)
  async decide(@CurrentPrincipal() p: Principal, @Body() form: DeviceDecisionForm, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const meta = requestMeta(req);
    const verified = await this.verification.verify(p, form.user_code, meta);
    if ('reason' in verified) return this.renderRejection(p, reply, verified, form.user_code);
    const outcome = await this.verification.decide(p, verified, form.decision, meta);
    return reply
      .header('cache-control', 'no-store')
      .view('device-done.hbs', { ...OUTCOMES[outcome], outcome, user: p.user, csrf: this.csrf.tokenFor(p.credential.id) });
  }

  private renderEntry(p: Principal, reply: FastifyReply, extra: { userCode: string; error?: string }, status = 200) {
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('device.hbs', { title: 'Connect a device', user: p.user, csrf: this.csrf.tokenFor(p.credential.id), ...extra });
  }

  private renderRejection(p: Principal, reply: FastifyReply, rejection: CodeRejection, entered: string) {
    if ('retryAfterSeconds' in rejection) void reply.header('retry-after', String(rejection.retryAfterSeconds));
    const status = rejection.reason === 'throttled' ? 429 : rejection.reason === 'unavailable' ? 503 : 400;
    return this.renderEntry(p, reply, { userCode: entered, error: REJECTION_MESSAGES[rejection.reason] }, status);
  }

  private renderConsent(p: Principal, reply: FastifyReply, request: VerifiedRequest) {
    return reply.header('cache-control', 'no-store').view('device-consent.hbs', {
      title: `Connect ${request.client.name}`,
      user: p.user,
      csrf: this.csrf.tokenFor(p.credential.id),
      clientName: request.client.name,
      userCode: request.userCode,
      scopes: this.verification.describe(request.grantable),
      dropped: this.verification.describe(request.dropped),
      grantable: request.grantable.length > 0,
    });
  }
}
