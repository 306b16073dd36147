import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { CsrfService } from '../sessions/csrf.service';
import { PasswordHasher } from '../users/password-hasher.service';
import { noPasswordReason } from '../users/no-password';
import { UsersService } from '../users/users.service';
import { LinkIdentityForm } from './dto/link-identity.form';
import { ExternalIdentitiesService } from '../sso-connections/external-identities.service';
import { SsoConnectionsService } from '../sso-connections/sso-connections.service';
import { SsoSignInError } from '../sso-connections/sso-sign-in.error';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoStateCookie } from './sso-state.cookie';
import { continueTo } from './sso.controller';

const PAGE = { schemes: ['cookie'], page: true } as const;

/**
 * "Single sign-on" on the account: the person's linked identities, and linking one more. Linking
 * needs the current password again (step-up: a session alone, perhaps left open, is not enough),
 * then a sign-in at the IdP; the callback links that `iss` + `sub` to this account.
 */
@ApiExcludeController()
@Authenticated(PAGE)
@Controller('account/sso')
export class AccountSsoPagesController {
  constructor(
    private readonly connections: SsoConnectionsService,
    private readonly identities: ExternalIdentitiesService,
    private readonly signIn: SsoSignInService,
    private readonly state: SsoStateCookie,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly csrf: CsrfService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async page(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    return this.render(p, reply, 200);
  }

  /** 200 with a page that moves on to the IdP (a form's 303 to another origin breaks CSP form-action 'self'). */
  @Post('link')
  @HttpCode(200)
  async link(@CurrentPrincipal() p: Principal, @Body() form: LinkIdentityForm, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const user = await this.users.findById(p.actor.id);
    const ok =
      user && !noPasswordReason(user)
        ? await this.hasher.verify(form.password, user.passwordHash)
        : await this.hasher.verifyAgainstDummy(form.password);
    if (!user || !ok) {
      await this.audit.recordFor(p, {
        action: 'sso.identity_link',
        outcome: 'denied',
        meta: requestMeta(req),
        details: { connection: form.slug, reason: 'wrong_password' },
      });
      return this.render(p, reply, 400, 'The password is not right.');
    }
    try {
      const c = await this.signIn.enabledConnection(form.slug);
      const { url, pending } = await this.signIn.start(c, { next: '/account/sso', linkUserId: user.id });
      await this.state.set(reply, pending);
      return continueTo(reply, url, c.name);
    } catch (err) {
      if (!(err instanceof SsoSignInError)) throw err;
      await this.signIn.recordRefusal(form.slug, err, requestMeta(req));
      return this.render(p, reply, err.status, err.message);
    }
  }

  private async render(p: Principal, reply: FastifyReply, status: number, error?: string) {
    const [linked, enabled, user] = await Promise.all([
      this.identities.listForUser(p.actor.id),
      this.connections.listEnabled(),
      this.users.findById(p.actor.id),
    ]);
    const linkedIds = new Set(linked.map((i) => i.connectionId));
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('account-sso.hbs', {
        title: 'Single sign-on',
        user: p.user,
        csrf: this.csrf.tokenFor(p.credential.id),
        error,
        identities: linked.map((i) => this.identities.toView(i)),
        linkable: enabled.filter((c) => !linkedIds.has(c.id)).map((c) => ({ slug: c.slug, name: c.name })),
        hasPassword: user ? !noPasswordReason(user) : false,
      });
  }
}
