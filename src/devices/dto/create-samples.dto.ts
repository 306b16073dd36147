import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { SampleDto } from './sample.dto';

export const MAX_SAMPLES_PER_BATCH = 1000;

export class CreateSamplesDto {
  @ApiProperty({ type: [SampleDto], minItems: 1, maxItems: MAX_SAMPLES_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SAMPLES_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => SampleDto)
  samples: SampleDto[];
}
