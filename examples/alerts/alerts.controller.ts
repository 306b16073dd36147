import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditAction } from '../../src/audit/audit-action.decorator';
import { AuditResource } from '../../src/audit/audit-resource.decorator';
import { Scopes } from '../../src/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../../src/auth/decorators/current-principal.decorator';
import type { Principal } from '../../src/auth/principal';
import { mapPage } from '../../src/common/keyset';
import { PageQuery } from '../../src/common/page.query';
import { toAlertView } from './alert.mapper';
import { AlertScope } from './alerts.scopes';
import { AlertsService } from './alerts.service';
import { AlertPageView } from './dto/alert-page.view';
import { AlertView } from './dto/alert.view';
import { CreateAlertDto } from './dto/create-alert.dto';

/**
 * Alert rules under their device. The parent parameter keeps its own name (`deviceId`, not
 * `id`): audit rows take their target id from the parameter the action names.
 */
@ApiTags('alerts')
@AuditResource('alert')
@Controller('devices/:deviceId/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Scopes(AlertScope.Read)
  @Get()
  @ApiOkResponse({ type: AlertPageView })
  @ApiNotFoundResponse()
  async list(
    @CurrentPrincipal() p: Principal,
    @Param('deviceId', ParseUUIDPipe) deviceId: string,
    @Query() q: PageQuery,
  ): Promise<AlertPageView> {
    return mapPage(await this.alerts.list(p, deviceId, { limit: q.limit ?? 50, cursor: q.cursor }), toAlertView);
  }

  @AuditAction('alert.create', 'alert')
  @Scopes(AlertScope.Write)
  @Post()
  @ApiCreatedResponse({ type: AlertView })
  @ApiNotFoundResponse()
  async create(
    @CurrentPrincipal() p: Principal,
    @Param('deviceId', ParseUUIDPipe) deviceId: string,
    @Body() dto: CreateAlertDto,
  ): Promise<AlertView> {
    return toAlertView(await this.alerts.create(p, deviceId, dto));
  }

  @AuditAction('alert.remove', 'alert', 'alertId')
  @Scopes(AlertScope.Write)
  @Delete(':alertId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('deviceId', ParseUUIDPipe) deviceId: string,
    @Param('alertId', ParseUUIDPipe) alertId: string,
  ): Promise<void> {
    await this.alerts.remove(p, deviceId, alertId);
  }
}
