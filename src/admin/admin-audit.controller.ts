import { Controller, Get, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails } from '../audit/audit-context';
import { toAuditEventView } from '../audit/audit-event.mapper';
import { AuditExportService } from '../audit/audit-export.service';
import { AuditService } from '../audit/audit.service';
import { AuditExportQuery } from '../audit/dto/audit-export.query';
import { AuditPageView } from '../audit/dto/audit-page.view';
import { AuditQuery } from '../audit/dto/audit-query';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { AuditNamesService } from './audit-names.service';
import { ADMIN_API } from '../users/admin-access';

/** The audit log for administrators: filter, page, export. Read-only: there is no write route. */
@ApiTags('admin')
@Authenticated(ADMIN_API)
@Controller('admin/audit-events')
export class AdminAuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly exports: AuditExportService,
    private readonly names: AuditNamesService,
  ) {}

  @AuditAction('admin.audit.list')
  @Get()
  @ApiOkResponse({ type: AuditPageView })
  async list(@Query() q: AuditQuery): Promise<AuditPageView> {
    const page = await this.audit.search(await this.names.filterFrom(q), q.limit ?? 50, q.cursor);
    return { items: page.items.map(toAuditEventView), nextCursor: page.nextCursor };
  }

  /** The whole filtered log as CSV (spreadsheet-safe) or JSON lines, newest first. */
  @AuditAction('admin.audit.export')
  @Get('export')
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'A file download' })
  async export(@Query() q: AuditExportQuery, @Req() req: FastifyRequest): Promise<StreamableFile> {
    const { format, limit: _limit, cursor: _cursor, ...filters } = q;
    noteAuditDetails(req, { format, filters });
    return this.exports.export(await this.names.filterFrom(q), format);
  }
}
