import { ApiProperty } from '@nestjs/swagger';

export class CredentialView {
  @ApiProperty({ description: 'session, personal_access_token, oauth_grant, …' }) kind: string;
  @ApiProperty() id: string;
  @ApiProperty() label: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
}
