import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { AuditAction } from '../audit/audit-action.decorator';
import { AuditResource } from '../audit/audit-resource.decorator';
import { mapPage } from '../common/keyset';
import { pageRequest } from '../common/page.query';
import { toSampleView } from './device.mapper';
import { DevicesService } from './devices.service';
import { DeviceScope } from './devices.scopes';
import { CreateSamplesDto } from './dto/create-samples.dto';
import { ListSamplesQuery } from './dto/list-samples.query';
import { SamplePageView } from './dto/sample-page.view';

/** Sensor readings of a device. Both routes also accept `Authorization: Secret`. */
@ApiTags('devices')
@AuditResource('device')
@Controller('devices/:id/samples')
export class SamplesController {
  constructor(private readonly devices: DevicesService) {}

  @Authenticated({ scopes: [DeviceScope.Read], schemes: ['bearer', 'cookie', 'secret'] })
  @Get()
  @ApiOkResponse({ type: SamplePageView })
  @ApiNotFoundResponse()
  async list(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ListSamplesQuery,
  ): Promise<SamplePageView> {
    return mapPage(await this.devices.listSamples(p, id, q, pageRequest(q, 100)), toSampleView);
  }

  @AuditAction('device.samples.add', 'device')
  @Authenticated({ scopes: [DeviceScope.Write], schemes: ['bearer', 'cookie', 'secret'] })
  @Post()
  @ApiCreatedResponse({ schema: { properties: { inserted: { type: 'integer' } } } })
  @ApiNotFoundResponse()
  async add(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateSamplesDto,
  ): Promise<{ inserted: number }> {
    return { inserted: await this.devices.addSamples(p, id, dto.samples) };
  }
}
