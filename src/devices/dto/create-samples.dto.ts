import { ApiProperty } from '@nestjs/swagger';
import { ArrayOfObjects } from '../../common/array-of-objects.decorator';
import { SampleDto } from './sample.dto';

export const MAX_SAMPLES_PER_BATCH = 1000;

export class CreateSamplesDto {
  @ApiProperty({ type: [SampleDto], minItems: 1, maxItems: MAX_SAMPLES_PER_BATCH })
  @ArrayOfObjects(() => SampleDto, 1, MAX_SAMPLES_PER_BATCH)
  samples: SampleDto[];
}
