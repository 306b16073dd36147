import { ApiProperty } from '@nestjs/swagger';

/** A user as administrators see it (never the password hash). */
export class AdminUserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
