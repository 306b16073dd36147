import { Body, Controller, Get, Post, Query, Redirect, Render, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails } from '../audit/audit-context';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import type { Principal } from '../auth/principal';
import { MfaPolicy } from '../mfa-policy/mfa-policy';
import { ADMIN_PAGE } from '../users/admin-access';
import { UsersService } from '../users/users.service';
import { AdminPageErrorFilter } from './admin-page-error.filter';
import { AdminPageContext } from './admin-page.context';
import { MfaPolicyForm } from './dto/mfa-policy.form';

/** The choices, in words (fixed texts). */
const CHOICES = [
  { value: 'none', label: 'Nobody', hint: 'People may turn on a second factor themselves.' },
  { value: 'admins', label: 'Admins', hint: 'People with the admin role must have a second factor.' },
  { value: 'all', label: 'Everyone', hint: 'Every person must have a second factor (bots never sign in and are unaffected).' },
] as const;

/**
 * Admin → Two-factor policy (`/admin/ui/mfa`): who must have a second factor, on the same
 * MfaPolicy as the API (`/admin/mfa/policy`). Post/Redirect/Get; a bad value is a 400 page.
 */
@ApiExcludeController()
@Authenticated(ADMIN_PAGE)
@UseFilters(AdminPageErrorFilter)
@Controller('admin/ui/mfa')
export class AdminMfaPagesController {
  constructor(
    private readonly policy: MfaPolicy,
    private readonly users: UsersService,
    private readonly context: AdminPageContext,
  ) {}

  @AuditAction('admin.mfa_policy.view')
  @Get()
  @Render('admin/mfa.hbs')
  async view(@CurrentPrincipal() p: Principal, @Query('done') done?: string) {
    const s = await this.policy.current();
    const by = s.updatedBy ? await this.users.findById(s.updatedBy) : null;
    return this.context.build(p, 'Two-factor policy', {
      policy: {
        ...s,
        label: CHOICES.find((c) => c.value === s.required)?.label,
        fromAdmin: s.source === 'admin',
        updatedAt: s.updatedAt?.toISOString(),
        updatedBy: by?.email ?? s.updatedBy,
      },
      choices: CHOICES.map((c) => ({ ...c, checked: c.value === s.required })),
      notice: done === 'saved' ? 'Policy saved. It applies from each person’s next sign-in, on every instance.' : undefined,
    });
  }

  @AuditAction('admin.mfa_policy.updated')
  @RequiresRecentAuthentication()
  @Post()
  @Redirect()
  async set(@Body() form: MfaPolicyForm, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest) {
    const { before, after } = await this.policy.set(form.required, p.actor.id);
    noteAuditDetails(req, { before: before.required, after: after.required, beforeSource: before.source });
    return { url: '/admin/ui/mfa?done=saved', statusCode: 303 };
  }
}
