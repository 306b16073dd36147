import { ApiProperty } from '@nestjs/swagger';
import { AlertView } from './alert.view';

export class AlertPageView {
  @ApiProperty({ type: [AlertView] }) items: AlertView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page; null on the last page' })
  nextCursor: string | null;
}
