import { Controller, Get, Query, Render, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditAction } from '../audit/audit-action.decorator';
import { AuditService } from '../audit/audit.service';
import { AuditQuery } from '../audit/dto/audit-query';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ADMIN_PAGE } from '../users/admin-access';
import { AdminDashboardService } from './admin-dashboard.service';
import { AdminPageErrorFilter } from './admin-page-error.filter';
import { AdminPageContext } from './admin-page.context';
import { AuditNamesService } from './audit-names.service';
import { UserCredentialRegistry } from '../users/user-credential-source';

const FILTER_FIELDS = ['actor', 'action', 'targetType', 'targetId', 'outcome', 'from', 'to'] as const;

/** The dashboard and the audit log pages (read-only). */
@ApiExcludeController()
@Authenticated(ADMIN_PAGE)
@UseFilters(AdminPageErrorFilter)
@Controller('admin/ui')
export class AdminPagesController {
  constructor(
    private readonly dashboard: AdminDashboardService,
    private readonly audit: AuditService,
    private readonly context: AdminPageContext,
    private readonly names: AuditNamesService,
    private readonly credentials: UserCredentialRegistry,
  ) {}

  @AuditAction('admin.dashboard.view')
  @Get()
  @Render('admin/dashboard.hbs')
  async home(@CurrentPrincipal() p: Principal) {
    const d = await this.dashboard.overview();
    return this.context.build(p, 'Admin', {
      d,
      tokens: Object.entries(d.liveTokens).map(([kind, count]) => ({ kind, label: this.credentials.label(kind), count })),
    });
  }

  @AuditAction('admin.audit.list')
  @Get('audit')
  @Render('admin/audit.hbs')
  async auditLog(@CurrentPrincipal() p: Principal, @Query() q: AuditQuery) {
    const page = await this.audit.search(await this.names.filterFrom(q), q.limit ?? 50, q.cursor);
    const filters: Record<string, string> = {};
    for (const f of FILTER_FIELDS) if (q[f]) filters[f] = q[f] as string;
    const query = (extra: Record<string, string>) => new URLSearchParams({ ...filters, ...extra }).toString();
    return this.context.build(p, 'Audit log', {
      events: await this.names.describe(page.items),
      filters,
      outcomeOptions: ['success', 'denied', 'failed'].map((o) => ({ value: o, selected: o === q.outcome })),
      next: page.nextCursor ? `/admin/ui/audit?${query({ cursor: page.nextCursor })}` : null,
      csvHref: `/admin/audit-events/export?${query({ format: 'csv' })}`,
      jsonlHref: `/admin/audit-events/export?${query({ format: 'jsonl' })}`,
    });
  }
}
