import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from '../../users/password-policy';

/** `POST /password-reset`: the link's token and the new password (form or JSON). */
export class ResetPasswordWithLinkDto {
  @ApiProperty({ description: 'The `ghpr_` token of the reset link' })
  @IsString()
  @MaxLength(100)
  token: string;

  @ApiProperty({ format: 'password', minLength: 12 })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  newPassword: string;

  @ApiProperty({ format: 'password', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  confirmPassword?: string;
}

/** `POST /password-reset/request`: the email to send a link to (form or JSON). */
export class RequestResetLinkDto {
  @ApiProperty()
  @IsString()
  @MaxLength(254)
  email: string;
}
