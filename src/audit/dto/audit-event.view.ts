import { ApiProperty } from '@nestjs/swagger';

/** One audit record as the API and exports show it. */
export class AuditEventView {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ enum: ['user', 'client', 'anonymous'] }) actorType: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) credentialKind: string | null;
  @ApiProperty({ nullable: true, type: String }) credentialId: string | null;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) targetType: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ enum: ['success', 'denied', 'failed'] }) outcome: string;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: Object }) details: Record<string, unknown> | null;
}
