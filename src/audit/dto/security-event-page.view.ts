import { ApiProperty } from '@nestjs/swagger';
import { SecurityEventView } from './security-event.view';

export class SecurityEventPageView {
  @ApiProperty({ type: [SecurityEventView] }) items: SecurityEventView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
