import { ApiProperty } from '@nestjs/swagger';

/** A one-time password-reset link, returned once to the admin who issued it. */
export class PasswordResetLinkView {
  @ApiProperty({ description: '<PUBLIC_URL>/password-reset?token=ghpr_… (single use)' })
  url: string;

  @ApiProperty({ format: 'date-time', description: '30 minutes after issue' })
  expiresAt: string;
}
