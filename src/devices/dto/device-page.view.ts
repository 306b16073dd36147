import { ApiProperty } from '@nestjs/swagger';
import { DeviceView } from './device.view';

export class DevicePageView {
  @ApiProperty({ type: [DeviceView] }) items: DeviceView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page; null on the last page' })
  nextCursor: string | null;
}
