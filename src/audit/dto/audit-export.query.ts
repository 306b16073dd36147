import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AuditQuery } from './audit-query';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The audit filters plus the file format; `limit` and `cursor` are ignored (exports are whole). */
export class AuditExportQuery extends AuditQuery {
  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}
