import { ApiProperty } from '@nestjs/swagger';

/** A user as administrators see it (never the password hash). */
export class AdminUserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ['person', 'bot'], description: 'A bot never signs in; it is managed under /account/bots/:id' }) kind:
    'person' | 'bot';
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
