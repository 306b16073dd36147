import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { isFormPost } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { CodeDto } from './dto/code.dto';
import { RECOVERY_CODE_FACTOR, TOTP_FACTOR } from './mfa.constants';
import { normalizeRecoveryCode, RecoveryCodesService } from '../recovery-codes/recovery-codes.service';
import { SecondFactorRegistry } from './second-factor.registry';
import { PendingSignIn, SecondStepRefusedError, SecondStepService } from './second-step.service';
import { normalizeTotpCode, TotpService } from './totp.service';
import { MfaMailer } from './mfa-mailer.service';
import { AuditService } from '../audit/audit.service';
import { requestMeta } from '../common/request-meta';

/** What each code form asks for, by factor kind. */
const FORMS = {
  [TOTP_FACTOR]: {
    action: '/login/second-factor/totp',
    heading: 'Enter the code from your authenticator app',
    label: 'Six-digit code',
    malformed: 'Enter the six-digit code your authenticator app shows (digits only).',
    wrong: 'That code is not right, or was already used. Wait for the next one and try again.',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9 ]{6,7}',
    maxlength: 7,
  },
  [RECOVERY_CODE_FACTOR]: {
    action: '/login/second-factor/recovery',
    heading: 'Enter one of your recovery codes',
    label: 'Recovery code',
    malformed: 'A recovery code looks like xxxxx-xxxxx (ten letters and digits).',
    wrong: 'That recovery code is not right, or was already used.',
    inputmode: 'text',
    autocomplete: 'off',
    pattern: '[A-Za-z0-9 -]{10,12}',
    maxlength: 12,
  },
} as const;

type CodeFactor = keyof typeof FORMS;

/**
 * The second step of sign-in (docs/mfa.md): public routes, because a partial session is no
 * principal; each reads the pending sign-in itself and sends a browser without one to sign in.
 * `GET /login/second-factor` goes on to the first factor the user has; TOTP and recovery codes
 * are served here, other kinds (passkeys) by their own modules through `SecondStepService`.
 */
@ApiTags('sessions')
@Controller('login/second-factor')
export class SecondStepController {
  constructor(
    private readonly step: SecondStepService,
    private readonly factors: SecondFactorRegistry,
    private readonly totp: TotpService,
    private readonly recovery: RecoveryCodesService,
    private readonly audit: AuditService,
    private readonly mailer: MfaMailer,
    private readonly flash: FlashService,
  ) {}

  @Public()
  @ApiExcludeEndpoint()
  @Get()
  async choose(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const pending = await this.step.pending(req);
    if (!pending) return this.signInAgain(reply, req);
    const kinds = await this.factors.enrolledFor(pending.user.id);
    const first = kinds.find((k) => k.standalone) ?? kinds[0];
    if (!first) return this.signInAgain(reply, req);
    return reply.header('cache-control', 'no-store').redirect(`${first.challengePath}?next=${encodeURIComponent(pending.next)}`, 303);
  }

  @Public()
  @ApiExcludeEndpoint()
  @Get('totp')
  async totpPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.page(req, reply, TOTP_FACTOR);
  }

  @Public()
  @ApiExcludeEndpoint()
  @Get('recovery')
  async recoveryPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.page(req, reply, RECOVERY_CODE_FACTOR);
  }

  /** The second step with an authenticator-app code (form or JSON `{ code }`, with the partial session's cookie). */
  @Public()
  @Post('totp')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Signed in: the session is full (amr pwd, otp, mfa); a form post is sent on to `next`' })
  @ApiUnauthorizedResponse({ description: 'Wrong or reused code, or no sign-in waiting for a second factor' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes for this account or from this IP (Retry-After)' })
  async totpSubmit(@Body() body: CodeDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.submit(req, reply, body, TOTP_FACTOR, async (p) => {
      const code = normalizeTotpCode(body.code);
      if (!code) return 'malformed';
      return (await this.totp.verifyCode(p.user.id, code)) ? 'otp' : 'wrong';
    });
  }

  /** The second step with a recovery code (each works once; its use is audited and mailed). */
  @Public()
  @Post('recovery')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Signed in with a recovery code, which is now used up' })
  @ApiUnauthorizedResponse({ description: 'Wrong or used code, or no sign-in waiting for a second factor' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes for this account or from this IP (Retry-After)' })
  async recoverySubmit(@Body() body: CodeDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.submit(req, reply, body, RECOVERY_CODE_FACTOR, async (p) => {
      if (!normalizeRecoveryCode(body.code)) return 'malformed';
      if (!(await this.recovery.use(p.user.id, body.code))) return 'wrong';
      const left = await this.recovery.remaining(p.user.id);
      await this.audit.record({
        action: 'mfa.recovery_code_used',
        outcome: 'success',
        actor: { type: 'user', id: p.user.id },
        credential: { kind: 'session', id: p.sessionId },
        target: { type: 'user', id: p.user.id },
        meta: requestMeta(req),
        details: { remaining: left },
      });
      await this.mailer.notify(p.user.email, 'a recovery code was used', [
        `A recovery code was used to sign in to your Gatehouse account from ${req.ip}. ${left} of your recovery codes are left.`,
        'Generate a new set from the account page if you are running low.',
      ]);
      return 'otp';
    });
  }

  private async submit(
    req: FastifyRequest,
    reply: FastifyReply,
    body: CodeDto,
    factor: CodeFactor,
    check: (p: PendingSignIn) => Promise<'malformed' | 'wrong' | string>,
  ) {
    void reply.header('cache-control', 'no-store');
    const form = isFormPost(req);
    const pending = await this.step.pending(req);
    if (!pending) {
      if (form) return this.signInAgain(reply, req);
      return reply
        .status(401)
        .send({ statusCode: 401, error: 'sign_in_required', message: 'No sign-in is waiting for a second factor: sign in again.' });
    }
    try {
      await this.step.beginAttempt(req, reply, pending);
    } catch (err) {
      if (!(err instanceof SecondStepRefusedError) || !form) throw err;
      return this.page(req, reply.status(err.getStatus()), factor, pending, err.message);
    }
    const outcome = await check(pending);
    if (outcome === 'malformed' || outcome === 'wrong') {
      await this.step.fail(req, pending, factor, outcome === 'malformed' ? 'malformed_code' : 'wrong_code');
      const status = outcome === 'malformed' ? 400 : 401;
      const message = FORMS[factor][outcome];
      if (form) return this.page(req, reply.status(status), factor, pending, message);
      return reply.status(status).send({ statusCode: status, error: outcome === 'malformed' ? 'invalid_code' : 'wrong_code', message });
    }
    return this.step.complete(req, reply, pending, { factorId: factor, amr: outcome });
  }

  private async page(req: FastifyRequest, reply: FastifyReply, factor: CodeFactor, known?: PendingSignIn, error?: string) {
    const pending = known ?? (await this.step.pending(req));
    if (!pending) return this.signInAgain(reply, req);
    const enrolled = await this.factors.enrolledFor(pending.user.id);
    if (!enrolled.some((k) => k.id === factor))
      return this.signInAgain(reply, req, 'That way of signing in is not set up for your account.');
    const next = encodeURIComponent(pending.next);
    return reply.header('cache-control', 'no-store').view('mfa-second-step.hbs', {
      title: 'Two-factor authentication',
      form: FORMS[factor],
      email: pending.user.email,
      next: pending.next,
      stepCsrf: pending.csrf,
      error,
      others: enrolled.filter((k) => k.id !== factor).map((k) => ({ label: k.label, href: `${k.challengePath}?next=${next}` })),
    });
  }

  /** No sign-in waits for a second factor here (none, expired, or a full session): back to the sign-in page. */
  private async signInAgain(reply: FastifyReply, req: FastifyRequest, message = 'Your sign-in expired. Sign in again.') {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const next = typeof query.next === 'string' && query.next.length <= 2048 ? `?next=${encodeURIComponent(query.next)}` : '';
    await this.flash.set(reply, { message, kind: 'error' });
    return reply.header('cache-control', 'no-store').redirect(`/login${next}`, 303);
  }
}
