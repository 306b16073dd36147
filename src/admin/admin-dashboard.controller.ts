import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditAction } from '../audit/audit-action.decorator';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { ADMIN_API } from '../users/admin-access';
import { AdminDashboardService } from './admin-dashboard.service';
import { DashboardView } from './dto/dashboard.view';

@ApiTags('admin')
@Authenticated(ADMIN_API)
@Controller('admin/dashboard')
export class AdminDashboardController {
  constructor(private readonly dashboard: AdminDashboardService) {}

  @AuditAction('admin.dashboard.view')
  @Get()
  @ApiOkResponse({ type: DashboardView })
  overview(): Promise<DashboardView> {
    return this.dashboard.overview();
  }
}
