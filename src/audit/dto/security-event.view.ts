import { ApiProperty } from '@nestjs/swagger';

/** One of the caller's own security events. Other people's ids are not shown. */
export class SecurityEventView {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() action: string;
  @ApiProperty({ enum: ['success', 'denied', 'failed'] }) outcome: string;
  @ApiProperty({ description: '`you`, `an administrator`, or `someone else`' }) by: string;
  @ApiProperty({ nullable: true, type: String, description: 'A sentence for the account holder, e.g. "An administrator (Ada) acted on your account"' })
  summary: string | null;
  @ApiProperty({ nullable: true, type: String }) credentialKind: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
}
