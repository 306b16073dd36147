import { ApiProperty } from '@nestjs/swagger';
import { ALERT_METRICS } from '../alert.entity';

export class AlertView {
  @ApiProperty() id: string;
  @ApiProperty() deviceId: string;
  @ApiProperty({ enum: ALERT_METRICS }) metric: string;
  @ApiProperty() threshold: number;
  @ApiProperty() enabled: boolean;
  @ApiProperty() createdAt: string;
}
