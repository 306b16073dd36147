import { ApiProperty } from '@nestjs/swagger';

/** A connection as admins see it: everything but the client secret (write-only). */
export class SsoConnectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() issuer: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ description: 'Always true: the secret is stored sealed and never shown' }) clientSecretSet: boolean;
  @ApiProperty({ description: 'Register this at the IdP' }) redirectUri: string;
  @ApiProperty({ isArray: true, type: String }) scopes: string[];
  @ApiProperty() emailClaim: string;
  @ApiProperty() nameClaim: string;
  @ApiProperty({ isArray: true, type: String }) allowedDomains: string[];
  @ApiProperty({ isArray: true, type: String }) requiredDomains: string[];
  @ApiProperty({ isArray: true, type: String }) defaultRoles: string[];
  @ApiProperty() enabled: boolean;
  @ApiProperty() trustEmail: boolean;
  @ApiProperty() upstreamMfa: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** An external identity linked to a user. */
export class ExternalIdentityView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty() connectionSlug: string;
  @ApiProperty() connectionName: string;
  @ApiProperty() issuer: string;
  @ApiProperty() subject: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastSignInAt: string;
}
