import { ApiProperty } from '@nestjs/swagger';

export const SECURITY_EVENT_BY = ['you', 'someone signing in', 'an administrator', 'an operator', 'someone else'] as const;
/** Who did it, in the account holder's words (see AccountSecurityController). */
export type SecurityEventBy = (typeof SECURITY_EVENT_BY)[number];

/** One of the caller's own security events. Other people's ids are not shown. */
export class SecurityEventView {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() action: string;
  @ApiProperty({ enum: ['success', 'denied', 'failed'] }) outcome: string;
  @ApiProperty({
    enum: SECURITY_EVENT_BY,
    description:
      '`someone signing in`: a failed or refused sign-in to this account, by whoever typed its email; `an operator`: the command line',
  })
  by: SecurityEventBy;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'A sentence for the account holder, e.g. "An administrator (Ada) acted on your account"',
  })
  summary: string | null;
  @ApiProperty({ nullable: true, type: String }) credentialKind: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
}
