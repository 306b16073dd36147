import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One kind of second factor a user has (docs/mfa.md). */
export class AdminUserFactorView {
  @ApiProperty({ example: 'passkey', description: 'The factor kind id: totp, passkey, recovery-code…' }) kind: string;
  @ApiProperty({ example: 'Passkey' }) label: string;
  @ApiProperty({ example: 2, description: 'How many: passkeys, unused recovery codes; an authenticator app is 1' }) count: number;
}

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
  @ApiPropertyOptional({
    type: [AdminUserFactorView],
    description: 'Second factors (kinds and counts); in the users list and the user view. Empty: none',
  })
  factors?: AdminUserFactorView[];
}
