import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails } from '../audit/audit-context';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import type { Principal } from '../auth/principal';
import { ADMIN_API } from '../users/admin-access';
import { MfaPolicyView, SetMfaPolicyDto } from './dto/mfa-policy.dto';
import { MfaPolicy, MfaPolicyState } from './mfa-policy';

/** The policy state as the API and the admin page show it. */
export function toMfaPolicyView(s: MfaPolicyState): MfaPolicyView {
  return { ...s, updatedAt: s.updatedAt?.toISOString() ?? null };
}

/**
 * The admin API of the MFA requirement (docs/mfa.md "Operator policy"): read it and change it at
 * runtime. A stored value wins over `MFA_REQUIRED`; every instance applies it at its next sign-in.
 */
@ApiTags('admin')
@Authenticated(ADMIN_API)
@Controller('admin/mfa/policy')
export class AdminMfaPolicyController {
  constructor(private readonly policy: MfaPolicy) {}

  @AuditAction('admin.mfa_policy.view')
  @Get()
  @ApiOkResponse({ type: MfaPolicyView })
  async get(): Promise<MfaPolicyView> {
    return toMfaPolicyView(await this.policy.current());
  }

  /** 200 with the new state; 400 for anything but `none` | `admins` | `all`. Audited with the old and new values. */
  @AuditAction('admin.mfa_policy.updated')
  @RequiresRecentAuthentication()
  @Put()
  @ApiOkResponse({ type: MfaPolicyView })
  @ApiBadRequestResponse({ description: 'required is not none, admins or all' })
  async set(@Body() dto: SetMfaPolicyDto, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest): Promise<MfaPolicyView> {
    const { before, after } = await this.policy.set(dto.required, p.actor.id);
    noteAuditDetails(req, { before: before.required, after: after.required, beforeSource: before.source });
    return toMfaPolicyView(after);
  }
}
