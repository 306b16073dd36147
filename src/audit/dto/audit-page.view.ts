import { ApiProperty } from '@nestjs/swagger';
import { AuditEventView } from './audit-event.view';

export class AuditPageView {
  @ApiProperty({ type: [AuditEventView] }) items: AuditEventView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page; null on the last page' })
  nextCursor: string | null;
}
