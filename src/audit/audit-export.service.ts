import { Injectable, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { toAuditEventView } from './audit-event.mapper';
import { csvHeaderLine, csvLine, jsonLine } from './audit-export';
import type { AuditFilter } from './audit-filter';
import { AuditService } from './audit.service';
import type { ExportFormat } from './dto/audit-export.query';

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

/** Streams the filtered log as a download, batch by batch, so its size never sits in memory. */
@Injectable()
export class AuditExportService {
  constructor(private readonly audit: AuditService) {}

  export(filter: AuditFilter, format: ExportFormat, now = new Date()): StreamableFile {
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    return new StreamableFile(Readable.from(this.lines(filter, format)), {
      type: CONTENT_TYPE[format],
      disposition: `attachment; filename="audit-${stamp}.${format}"`,
    });
  }

  private async *lines(filter: AuditFilter, format: ExportFormat): AsyncGenerator<string> {
    if (format === 'csv') yield csvHeaderLine();
    for await (const event of this.audit.streamAll(filter)) {
      const view = toAuditEventView(event);
      yield format === 'csv' ? csvLine(view) : jsonLine(view);
    }
  }
}
