import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, Scopes } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { AuditAction } from '../audit/audit-action.decorator';
import { AuditResource } from '../audit/audit-resource.decorator';
import { PageQuery } from '../common/page.query';
import { mapPage } from '../common/keyset';
import { pageResponseSchema } from '../common/page.view';
import { toDeviceView } from './device.mapper';
import { DevicesService } from './devices.service';
import { DeviceScope } from './devices.scopes';
import { CreateDeviceDto } from './dto/create-device.dto';
import { DevicePageView } from './dto/device-page.view';
import { DEVICE_VIEW_SCHEMA, DeviceView } from './dto/device.view';
import { UpdateDeviceDto } from './dto/update-device.dto';

@ApiTags('devices')
@AuditResource('device')
@Controller('devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  /** Also accepts `Authorization: Secret` (a client acting for its owner). */
  @Authenticated({ scopes: [DeviceScope.Read], schemes: ['bearer', 'cookie', 'secret'] })
  @Get()
  @RouteSchema(pageResponseSchema(DEVICE_VIEW_SCHEMA))
  @ApiOkResponse({ type: DevicePageView })
  async list(@CurrentPrincipal() p: Principal, @Query() q: PageQuery): Promise<DevicePageView> {
    return mapPage(await this.devices.listVisible(p, q.limit ?? 50, q.cursor), toDeviceView);
  }

  @Scopes(DeviceScope.Read)
  @Get(':id')
  @ApiOkResponse({ type: DeviceView })
  @ApiNotFoundResponse()
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceView> {
    return toDeviceView(await this.devices.getVisible(p, id));
  }

  @AuditAction('device.create', 'device')
  @Scopes(DeviceScope.Write)
  @Post()
  @ApiCreatedResponse({ type: DeviceView })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateDeviceDto): Promise<DeviceView> {
    return toDeviceView(await this.devices.create(p, dto));
  }

  @AuditAction('device.update', 'device')
  @Scopes(DeviceScope.Write)
  @Patch(':id')
  @ApiOkResponse({ type: DeviceView })
  @ApiNotFoundResponse()
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateDeviceDto,
  ): Promise<DeviceView> {
    return toDeviceView(await this.devices.update(p, id, dto));
  }

  @AuditAction('device.remove', 'device')
  @Scopes(DeviceScope.Write)
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.devices.remove(p, id);
  }
}
