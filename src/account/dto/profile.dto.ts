import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** `POST /account/profile`: the display name (form or JSON). */
export class ProfileDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiProperty({ required: false, description: 'The form’s CSRF token' })
  @IsOptional()
  @IsString()
  _csrf?: string;
}
