import { ApiProperty } from '@nestjs/swagger';

/** A live impersonation token as admins see it (never the token). */
export class ImpersonationView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The user acted for' }) subjectId: string;
  @ApiProperty() subjectEmail: string;
  @ApiProperty({ description: 'The acting administrator (RFC 8693 act.sub)' }) actorId: string;
  @ApiProperty() actorName: string;
  @ApiProperty({ nullable: true, type: String }) clientId: string | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
}

/** The answer to starting an impersonation: the only time the token is returned. */
export class StartedImpersonationView extends ImpersonationView {
  @ApiProperty({ example: 'ghimp_…', description: 'Shown once' }) token: string;
  @ApiProperty({ description: 'Seconds' }) expiresIn: number;
}
