import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { MfaEnrolment } from '../mfa/mfa-enrolment.service';
import { recoveryCodesReveal } from '../recovery-codes/recovery-codes-reveal';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { UsersService } from '../users/users.service';
import {
  cleanPasskeyName,
  MAX_PASSKEY_NAME,
  PasskeyDeleteForm,
  PasskeyOptionsRequest,
  RegisterPasskeyForm,
  RenamePasskeyForm,
} from './dto/passkey.forms';
import { PasskeyError, passkeyErrorBody } from './passkey.error';
import { PASSKEY_FACTOR, PasskeysService } from './passkeys.service';
import type { Passkey } from './passkey.entity';

const PAGE = { schemes: ['cookie'], page: true } as const;
const BAD_NAME = `Give the passkey a name of 1 to ${MAX_PASSKEY_NAME} characters.`;

/**
 * Account → Passkeys: the person's passkeys (list, rename, delete) and adding one. Adding is two
 * requests from the page's script: `POST /account/passkeys/options` (the creation options, with a
 * challenge bound to this session), then the form post of the browser's response, which answers
 * like every form here (303 with a flash, or the page again with a 4xx and the reason). Both also
 * take JSON. A new passkey is an MFA enrolment (MfaEnrolment.enrolled: audited, mailed, the first
 * factor's recovery codes, a session held at enrolment by MFA_REQUIRED released); deleting the
 * last one is refused while the policy needs a factor (MfaEnrolment.removeFactor).
 */
@ApiExcludeController()
@Controller('account/passkeys')
export class AccountPasskeysController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly users: UsersService,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
    private readonly audit: AuditService,
    private readonly enrolment: MfaEnrolment,
  ) {}

  @Authenticated(PAGE)
  @Get()
  page(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    return this.render(p, reply, 200);
  }

  /** PublicKeyCredentialCreationOptionsJSON for `startRegistration()`; the challenge is this session's, single use. */
  @Authenticated({ schemes: ['cookie'] })
  @Post('options')
  @HttpCode(200)
  async options(
    @CurrentPrincipal() p: Principal,
    @Body() _body: PasskeyOptionsRequest,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    void reply.header('cache-control', 'no-store');
    const user = await this.users.findById(p.actor.id);
    if (!user) throw new NotFoundException();
    try {
      return reply.send(await this.passkeys.registrationOptions(user, p.credential.id));
    } catch (err) {
      if (!(err instanceof PasskeyError)) throw err;
      return reply.status(err.status).send(passkeyErrorBody(err, String(req.id)));
    }
  }

  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post()
  async register(
    @CurrentPrincipal() p: Principal,
    @Body() form: RegisterPasskeyForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const meta = requestMeta(req);
    const html = isFormPost(req);
    const name = cleanPasskeyName(form.name);
    const user = await this.users.findById(p.actor.id);
    if (!user) throw new NotFoundException();
    let passkey: Passkey;
    try {
      if (!name) throw new PasskeyError('malformed_response', 400, BAD_NAME);
      passkey = await this.passkeys.register(user, p.credential.id, form.response, name);
    } catch (err) {
      if (!(err instanceof PasskeyError)) throw err;
      await this.audit.recordFor(p, {
        action: 'passkey.add',
        outcome: 'denied',
        target: { type: 'user', id: p.actor.id },
        meta,
        details: { reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) },
      });
      if (!html) return reply.status(err.status).send(passkeyErrorBody(err, String(req.id)));
      return this.render(p, reply, err.status, { error: err.message, name: form.name.slice(0, MAX_PASSKEY_NAME) });
    }
    await this.audit.recordFor(p, {
      action: 'passkey.add',
      outcome: 'success',
      target: { type: 'passkey', id: passkey.id },
      meta,
      details: { name: passkey.name, backupEligible: passkey.backupEligible, aaguid: passkey.aaguid },
    });
    const amr = passkey.backupEligible ? 'swk' : 'hwk';
    const { recoveryCodes } = await this.enrolment.enrolled(p, { factorId: PASSKEY_FACTOR, amr }, meta);
    if (!html) return reply.status(201).send({ ...toPasskeyView(passkey), recoveryCodes });
    await this.flash.set(
      reply,
      {
        message: `Passkey “${passkey.name}” added. You can now sign in with it.`,
        ...(recoveryCodes ? { reveal: recoveryCodesReveal(recoveryCodes) } : {}),
      },
      p.credential.id,
    );
    return reply.redirect('/account/passkeys', 303);
  }

  @Authenticated(PAGE)
  @Post(':id/rename')
  async rename(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: RenamePasskeyForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const html = isFormPost(req);
    const name = cleanPasskeyName(form.name);
    if (!name) {
      if (!html) return reply.status(400).send({ statusCode: 400, error: 'bad_request', message: BAD_NAME, requestId: String(req.id) });
      return this.render(p, reply, 400, { error: BAD_NAME });
    }
    const change = await this.passkeys.rename(p.actor.id, id, name);
    await this.audit.recordFor(p, {
      action: 'passkey.rename',
      outcome: 'success',
      target: { type: 'passkey', id },
      meta: requestMeta(req),
      details: change,
    });
    if (!html) return reply.status(204).send();
    await this.flash.set(reply, { message: `Passkey renamed to “${name}”.` });
    return reply.redirect('/account/passkeys', 303);
  }

  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post(':id/delete')
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() _form: PasskeyDeleteForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const html = isFormPost(req);
    const meta = requestMeta(req);
    await this.passkeys.getOwn(p.actor.id, id);
    // The passkey kind stays enrolled while another passkey is left; the last one goes only if the policy allows.
    let removed: Passkey;
    try {
      removed = await this.enrolment.removeFactor(
        p,
        PASSKEY_FACTOR,
        async () => (await this.passkeys.countForUser(p.actor.id)) > 1,
        () => this.passkeys.remove(p.actor.id, id),
      );
    } catch (err) {
      if (!(err instanceof ConflictException) || !html) throw err;
      return this.render(p, reply, 409, { error: err.message });
    }
    await this.audit.recordFor(p, {
      action: 'passkey.remove',
      outcome: 'success',
      target: { type: 'passkey', id },
      meta,
      details: { name: removed.name },
    });
    await this.enrolment.removed(p, PASSKEY_FACTOR, meta);
    if (!html) return reply.status(204).send();
    await this.flash.set(reply, { message: `Passkey “${removed.name}” deleted. It no longer signs in.` });
    return reply.redirect('/account/passkeys', 303);
  }

  private async render(p: Principal, reply: FastifyReply, status: number, extra: { error?: string; name?: string } = {}) {
    const list = await this.passkeys.listForUser(p.actor.id);
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('passkeys.hbs', {
        title: 'Passkeys',
        user: p.user,
        csrf: this.csrf.tokenFor(p.credential.id),
        passkeys: list.map(toPasskeyView),
        ...extra,
      });
  }
}

/** What the page (and a JSON client) sees of a passkey: never the key material. */
export function toPasskeyView(p: Passkey) {
  return {
    id: p.id,
    name: p.name,
    createdAt: p.createdAt.toISOString(),
    lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
    transports: p.transports,
    backupEligible: p.backupEligible,
    backedUp: p.backedUp,
    kind: p.backupEligible ? 'Synced passkey' : 'Device-bound passkey',
  };
}
