import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExcludeEndpoint, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { plural } from '../common/plural';
import { requestMeta } from '../common/request-meta';
import { isFormPost } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { MIN_PASSWORD_LENGTH } from '../users/password-policy';
import { UsersService } from '../users/users.service';
import { AccountPasswordService, PasswordRefusedError } from './account-password.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { ProfileDto } from './dto/profile.dto';

const PAGE = { schemes: ['cookie'], page: true } as const;

/** Your own password and display name. Cookie only: a leaked token cannot change either. */
@ApiTags('account')
@Controller('account')
export class AccountSettingsController {
  constructor(
    private readonly passwords: AccountPasswordService,
    private readonly users: UsersService,
    private readonly flash: FlashService,
    private readonly audit: AuditService,
  ) {}

  @Authenticated(PAGE)
  @ApiExcludeEndpoint()
  @Get('password')
  async passwordPage(@CurrentPrincipal() p: Principal, @Query('required') required: string | undefined, @Res() reply: FastifyReply) {
    const user = await this.users.findById(p.actor.id);
    return this.renderPassword(reply, { required: required !== undefined || Boolean(user?.passwordTemporary) });
  }

  /**
   * Changes the caller's password: the current one is required; every other session ends.
   * A form post comes back to the account page with a flash; JSON gets 204.
   */
  @Authenticated({ schemes: ['cookie'], page: true })
  @RequiresRecentAuthentication()
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every other session of the user has ended' })
  @ApiBadRequestResponse({ description: 'Wrong current password, or the new one fails the strength rule (the message says which)' })
  async changePassword(
    @CurrentPrincipal() p: Principal,
    @Body() body: ChangePasswordDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = isFormPost(req);
    try {
      if (body.confirmPassword !== undefined && body.confirmPassword !== body.newPassword)
        throw new PasswordRefusedError('The two new passwords differ.');
      const ended = await this.passwords.change(p, body.currentPassword, body.newPassword, requestMeta(req));
      if (!form) return reply.status(204).send();
      await this.flash.set(reply, { message: `Password changed.${ended ? ` Signed out of ${plural(ended, 'other session')}.` : ''}` });
      return reply.redirect('/account', 303);
    } catch (err) {
      if (!(err instanceof PasswordRefusedError) || !form) throw err;
      return this.renderPassword(reply.status(400), { error: err.message, required: false });
    }
  }

  /** Changes the caller's display name. A form post comes back with a flash; JSON gets 204. */
  @Authenticated({ schemes: ['cookie'], page: true })
  @Post('profile')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Saved' })
  async profile(@CurrentPrincipal() p: Principal, @Body() body: ProfileDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const name = body.displayName.trim();
    if (!name) throw new BadRequestException('The name cannot be blank.');
    await this.users.setDisplayName(p.actor.id, name);
    await this.audit.recordFor(p, {
      action: 'user.profile_update',
      outcome: 'success',
      target: { type: 'user', id: p.actor.id },
      meta: requestMeta(req),
      details: { displayName: name },
    });
    if (!isFormPost(req)) return reply.status(204).send();
    await this.flash.set(reply, { message: 'Name saved.' });
    return reply.redirect('/account', 303);
  }

  private renderPassword(reply: FastifyReply, state: { error?: string; required: boolean }) {
    return reply
      .header('cache-control', 'no-store')
      .view('account-password.hbs', { title: 'Change password', minLength: MIN_PASSWORD_LENGTH, ...state });
  }
}
