import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { BlankToUndefined } from '../../common/blank-to-undefined';
import { MIN_PASSWORD_LENGTH } from './create-user.dto';

export class ResetPasswordDto {
  @ApiPropertyOptional({ format: 'password', description: 'Omit to have a temporary password generated and returned once' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(1024)
  password?: string;
}
