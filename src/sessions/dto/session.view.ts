import { ApiProperty } from '@nestjs/swagger';

/** A session as the account API shows it (never its secret). */
export class SessionView {
  @ApiProperty() id: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() lastSeenAt: string;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
  @ApiProperty() current: boolean;
}
