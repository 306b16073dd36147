import { ApiProperty } from '@nestjs/swagger';

export class ScopeView {
  @ApiProperty({ example: 'read:device' }) name: string;
  @ApiProperty() description: string;
}

/** An app the user has authorized, as the account API shows it. */
export class AuthorizationView {
  @ApiProperty() clientId: string;
  @ApiProperty() clientName: string;
  @ApiProperty({ type: [ScopeView], description: 'What the user approved' }) grantedScopes: ScopeView[];
  @ApiProperty({ type: [String], description: 'Granted ∩ what the user holds now: what tokens can actually do' })
  effectiveScopes: string[];
  @ApiProperty({ description: 'First approval' }) authorizedAt: string;
  @ApiProperty({ description: 'Latest approval of new scopes' }) updatedAt: string;
}
