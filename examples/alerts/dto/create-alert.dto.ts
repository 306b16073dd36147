import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { ALERT_METRICS, AlertMetric } from '../alert.entity';

export class CreateAlertDto {
  @ApiProperty({ enum: ALERT_METRICS, example: 'co2' })
  @IsIn(ALERT_METRICS)
  metric: AlertMetric;

  /** Bounded so no value overflows a double or means nothing for any metric. */
  @ApiProperty({ example: 1000, minimum: -1_000_000, maximum: 1_000_000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1_000_000)
  @Max(1_000_000)
  threshold: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
