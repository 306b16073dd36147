import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsTimestamp } from '../../common/is-timestamp.decorator';

/** One reading. Ranges are the physically plausible ones; anything else is a client bug. */
export class SampleDto {
  @ApiProperty({ example: '2026-11-22T08:00:00.000Z' })
  @IsTimestamp()
  recordedAt: string;

  @ApiPropertyOptional({ description: 'Bq/m³' }) @IsOptional() @IsNumber() @Min(0) @Max(1_000_000) radon?: number;
  @ApiPropertyOptional({ description: 'ppm' }) @IsOptional() @IsNumber() @Min(0) @Max(100_000) co2?: number;
  @ApiPropertyOptional({ description: 'ppb' }) @IsOptional() @IsNumber() @Min(0) @Max(100_000) voc?: number;
  @ApiPropertyOptional({ description: '°C' }) @IsOptional() @IsNumber() @Min(-100) @Max(200) temperature?: number;
  @ApiPropertyOptional({ description: '% relative humidity' }) @IsOptional() @IsNumber() @Min(0) @Max(100) humidity?: number;
  @ApiPropertyOptional({ description: 'hPa' }) @IsOptional() @IsNumber() @Min(0) @Max(2000) pressure?: number;
  @ApiPropertyOptional({ description: '% charge' }) @IsOptional() @IsNumber() @Min(0) @Max(100) battery?: number;
}
