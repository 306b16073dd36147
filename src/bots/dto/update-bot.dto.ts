import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull } from '../../common/optional-not-null.decorator';

/** JSON body of PATCH /account/bots/:id. A field may be left out; null is a 400 (the columns are NOT NULL). */
export class UpdateBotDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ example: ['viewer'], description: 'Replaces the roles; the same ceiling as creation. Its tokens narrow at once.' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  roles?: string[];
}
