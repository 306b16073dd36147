import { Body, ConflictException, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { CodeDto } from './dto/code.dto';
import { RECOVERY_CODE_FACTOR, TOTP_FACTOR } from './mfa.constants';
import { MfaEnrolment } from './mfa-enrolment.service';
import { MfaPolicy } from '../mfa-policy/mfa-policy';
import { recoveryCodesReveal } from '../recovery-codes/recovery-codes-reveal';
import { RecoveryCodesService } from '../recovery-codes/recovery-codes.service';
import { SecondFactorRegistry } from './second-factor.registry';
import { ENROL_STEP } from './second-step.service';
import { normalizeTotpCode, TotpService } from './totp.service';
import { UsersService } from '../users/users.service';

const PAGE = { schemes: ['cookie'], page: true } as const;
const HERE = '/account/mfa';

/**
 * Account → Two-factor: the user's factors, TOTP enrolment (QR code rendered here, secret active
 * only after one correct code) and removal, recovery codes (how many are left, a new set). Cookie
 * only, like all account management. A session held at enrolment by `MFA_REQUIRED` reaches this
 * page and the enrolment posts, nothing else (MfaPolicy).
 */
@ApiExcludeController()
@Controller('account/mfa')
export class AccountMfaController {
  constructor(
    private readonly totp: TotpService,
    private readonly recovery: RecoveryCodesService,
    private readonly factors: SecondFactorRegistry,
    private readonly enrolment: MfaEnrolment,
    private readonly policy: MfaPolicy,
    private readonly users: UsersService,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
  ) {}

  @Authenticated(PAGE)
  @Get()
  async page(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    return this.render(p, reply);
  }

  /** Starts (or restarts) authenticator-app enrolment: a new secret, shown on the page until confirmed. */
  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post('totp')
  @HttpCode(303)
  async begin(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      await this.totp.beginEnrolment(p.actor.id);
    } catch (err) {
      if (!(err instanceof ConflictException) || !isFormPost(req)) throw err;
      return this.render(p, reply.status(409), { error: err.message });
    }
    return reply.redirect(`${HERE}#totp`, 303);
  }

  /** Confirms enrolment with one correct code; the first factor also brings the recovery codes (shown once). */
  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post('totp/confirm')
  @HttpCode(303)
  async confirm(@CurrentPrincipal() p: Principal, @Body() body: CodeDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const form = isFormPost(req);
    const code = normalizeTotpCode(body.code);
    const error = !code
      ? 'Enter the six-digit code your authenticator app shows (digits only).'
      : !(await this.totp.confirm(p.actor.id, code))
        ? 'That code is not right. Check the time on your phone, wait for the next code and try again.'
        : null;
    if (error) {
      // The enrolment stays unconfirmed: the secret is not a factor.
      if (!form) return reply.status(400).send({ statusCode: 400, error: code ? 'wrong_code' : 'invalid_code', message: error });
      return this.render(p, reply.status(400), { error });
    }
    const { recoveryCodes } = await this.enrolment.enrolled(p, { factorId: TOTP_FACTOR, amr: 'otp' }, requestMeta(req));
    if (!form) return reply.status(200).send({ factor: TOTP_FACTOR, recoveryCodes });
    await this.flash.set(
      reply,
      {
        message: 'Authenticator app added. Your sign-ins now ask for a code from it.',
        ...(recoveryCodes ? { reveal: recoveryCodesReveal(recoveryCodes) } : {}),
      },
      p.credential.id,
    );
    return reply.redirect(HERE, 303);
  }

  /** Drops an unconfirmed enrolment (a confirmed factor is removed with `totp/remove`). */
  @Authenticated(PAGE)
  @Post('totp/cancel')
  @HttpCode(303)
  async cancel(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    const { confirmedAt } = await this.totp.status(p.actor.id);
    if (!confirmedAt) await this.totp.remove(p.actor.id);
    return reply.redirect(HERE, 303);
  }

  /** Removes the authenticator app (refused with 409 when the policy needs it as the last factor). */
  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post('totp/remove')
  @HttpCode(303)
  async remove(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const form = isFormPost(req);
    let removed: boolean;
    try {
      removed = await this.enrolment.removeFactor(
        p,
        TOTP_FACTOR,
        async () => false,
        () => this.totp.remove(p.actor.id),
      );
    } catch (err) {
      if (!(err instanceof ConflictException) || !form) throw err;
      return this.render(p, reply.status(409), { error: err.message });
    }
    if (removed) await this.enrolment.removed(p, TOTP_FACTOR, requestMeta(req));
    if (!form) return reply.status(204).send();
    await this.flash.set(reply, { message: removed ? 'Authenticator app removed.' : 'No authenticator app was set up.' });
    return reply.redirect(HERE, 303);
  }

  /** A new set of recovery codes (the old set stops working), shown once. Needs a factor. */
  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post('recovery-codes')
  @HttpCode(303)
  async regenerate(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const form = isFormPost(req);
    if (!(await this.factors.hasFactor(p.actor.id))) {
      const message = 'Set up a second factor first: recovery codes stand in for it.';
      if (!form) throw new ConflictException(message);
      return this.render(p, reply.status(409), { error: message });
    }
    const codes = await this.recovery.regenerate(p.actor.id);
    await this.enrolment.recoveryCodesRegenerated(p, requestMeta(req));
    if (!form) return reply.status(200).send({ recoveryCodes: codes });
    await this.flash.set(
      reply,
      { message: 'New recovery codes made: the old ones no longer work.', reveal: recoveryCodesReveal(codes) },
      p.credential.id,
    );
    return reply.redirect(HERE, 303);
  }

  private async render(p: Principal, reply: FastifyReply, extra: { error?: string } = {}) {
    const userId = p.actor.id;
    const [status, remaining, user, enrolled] = await Promise.all([
      this.totp.status(userId),
      this.recovery.remaining(userId),
      this.users.findById(userId),
      this.factors.enrolledFor(userId),
    ]);
    const enrolment = status.pending && p.user ? await this.totp.pendingEnrolment(userId, p.user.email) : null;
    const others = await Promise.all(
      this.factors
        .all()
        .filter((k) => k.id !== TOTP_FACTOR && k.id !== RECOVERY_CODE_FACTOR)
        .map(async (k) => ({ label: k.label, href: k.enrolPath, summary: await k.describe(userId) })),
    );
    return reply.header('cache-control', 'no-store').view('account-mfa.hbs', {
      title: 'Two-factor authentication',
      held: p.pendingStep === ENROL_STEP,
      required: user ? await this.policy.requires(user) : false,
      hasFactor: enrolled.some((k) => k.standalone),
      totp: { confirmedAt: status.confirmedAt?.toISOString(), pending: enrolment },
      recovery: { remaining },
      others,
      csrf: this.csrf.tokenFor(p.credential.id),
      ...extra,
    });
  }
}
