import { ApiProperty } from '@nestjs/swagger';

export class ResetPasswordView {
  @ApiProperty({ description: 'Sessions ended by the reset' }) sessionsRevoked: number;
  @ApiProperty({ nullable: true, type: String, description: 'The generated password, shown once; null when one was given' })
  temporaryPassword: string | null;
}
