import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiExcludeEndpoint, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { requestMeta } from '../common/request-meta';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { ExternalSignInRegistry } from '../sign-in/external-sign-in.registry';
import { AuditService } from '../audit/audit.service';
import { MIN_PASSWORD_LENGTH } from '../users/password-policy';
import { AccountPasswordService, INVALID_LINK, PasswordRefusedError } from './account-password.service';
import { RequestResetLinkDto, ResetPasswordWithLinkDto } from './dto/reset-password-with-link.dto';
import { ResetMailer } from './reset-mailer.service';

const REQUESTED = 'If an account has this email, a link to reset its password is on its way. It works once, for 30 minutes.';

/**
 * Password reset by one-time link, signed out. The token travels in the query string (never
 * logged: the logger keeps the path only) and then in the form body. Public routes: the
 * same-origin check stands in for the CSRF token, as on the sign-in form.
 */
@ApiTags('sessions')
@Controller('password-reset')
export class PasswordResetController {
  constructor(
    private readonly passwords: AccountPasswordService,
    private readonly mailer: ResetMailer,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
    private readonly external: ExternalSignInRegistry,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @ApiExcludeEndpoint()
  @Get()
  async page(@Query('token') token: unknown, @Res() reply: FastifyReply) {
    const valid = typeof token === 'string' && (await this.passwords.linkIsLive(token));
    return this.render(reply.status(valid ? 200 : 400), valid ? { token } : { invalid: INVALID_LINK });
  }

  /** Sets a new password with a live link (once); every session of the account ends. */
  @Public()
  @Post()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password set; the link is used up and every session of the account has ended' })
  @ApiBadRequestResponse({ description: 'The link is unknown, used or expired, or the password fails the strength rule' })
  async reset(@Body() body: ResetPasswordWithLinkDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertSignedOutOrigin(req);
    const form = isFormPost(req);
    try {
      if (body.confirmPassword !== undefined && body.confirmPassword !== body.newPassword)
        throw new PasswordRefusedError('The two new passwords differ.');
      await this.passwords.resetWithLink(body.token, body.newPassword, requestMeta(req));
    } catch (err) {
      if (!(err instanceof PasswordRefusedError) || !form) throw err;
      const invalid = err.message === INVALID_LINK;
      return this.render(reply.status(400), invalid ? { invalid: INVALID_LINK } : { token: body.token, error: err.message });
    }
    if (!form) return reply.status(204).send();
    await this.flash.set(reply, { message: 'Password changed. Sign in with the new one.' });
    return reply.redirect('/login', 303);
  }

  /** "Forgot your password?": only when SMTP is configured; otherwise the page says to ask an admin. */
  @Public()
  @ApiExcludeEndpoint()
  @Get('request')
  requestPage(@Res() reply: FastifyReply) {
    return reply
      .header('cache-control', 'no-store')
      .view('password-reset-request.hbs', { title: 'Forgot your password?', mail: this.mailer.enabled });
  }

  /** Emails a reset link when SMTP is configured. The answer is the same whether or not the email exists. */
  @Public()
  @Post('request')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'The same answer whether or not an account has this email' })
  async request(@Body() body: RequestResetLinkDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertSignedOutOrigin(req);
    // "Require SSO" for the email's domain: decided from the domain alone (reveals no account).
    const refusal = await this.external.passwordRefusal(body.email);
    if (refusal) {
      const meta = requestMeta(req);
      await this.audit.record({
        action: 'user.password_reset_request',
        outcome: 'denied',
        meta,
        details: { reason: 'sso_required' },
      });
      if (!isFormPost(req))
        return reply.status(403).send({ statusCode: 403, error: 'sso_required', message: refusal.message, requestId: meta.requestId });
      return reply
        .status(403)
        .header('cache-control', 'no-store')
        .view('password-reset-request.hbs', {
          title: 'Forgot your password?',
          mail: this.mailer.enabled,
          error: refusal.message,
          external: [refusal.button],
        });
    }
    await this.passwords.requestByEmail(body.email, requestMeta(req));
    if (!isFormPost(req)) return reply.status(202).send({ message: REQUESTED });
    await this.flash.set(reply, { message: REQUESTED });
    return reply.redirect('/login', 303);
  }

  private render(reply: FastifyReply, state: { token?: string; error?: string; invalid?: string }) {
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .view('password-reset.hbs', { title: 'Choose a new password', minLength: MIN_PASSWORD_LENGTH, ...state });
  }
}
