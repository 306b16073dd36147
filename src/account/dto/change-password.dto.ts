import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from '../../users/password-policy';

/** `POST /account/password`, as a form or JSON. The strength rule is applied by the service. */
export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @ApiProperty({
    format: 'password',
    minLength: 12,
    description: 'At least 12 characters; not a common password; not built from your email or name',
  })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  newPassword: string;

  /** The form's confirmation field; JSON callers may leave it out. */
  @ApiProperty({ format: 'password', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  confirmPassword?: string;

  @ApiProperty({ required: false, description: 'The form’s CSRF token' })
  @IsOptional()
  @IsString()
  _csrf?: string;
}
