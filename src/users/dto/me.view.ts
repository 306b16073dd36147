import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class MeCredentialView {
  @ApiProperty({ enum: ['session', 'pat', 'oauth_access', 'client_secret', 'bot_token', 'impersonation'] }) kind: string;
  @ApiProperty({ description: 'The credential row id (never the secret)' }) id: string;
}

export class MeActorView {
  @ApiProperty({ description: 'Who acts on the subject’s behalf (RFC 8693 §4.1)' }) sub: string;
}

/**
 * Who the caller is (`GET /me`). Field names follow OpenID Connect's UserInfo (`sub`, `name`,
 * `email`) and RFC 7662 (`client_id`, `scope`), so an OIDC userinfo endpoint can build on it.
 */
export class MeView {
  @ApiProperty({ description: 'The acting subject: a user id, or a client id for a client acting as itself' }) sub: string;
  @ApiProperty({ enum: ['user', 'bot', 'client'], description: 'What `sub` names: a person, a bot user, or a client as itself' })
  kind: string;
  @ApiPropertyOptional({ description: 'For a person' }) email?: string;
  @ApiPropertyOptional({ description: 'For a person or a bot: the display name' }) name?: string;
  @ApiProperty({ type: MeCredentialView }) credential: MeCredentialView;
  @ApiPropertyOptional({ description: 'The OAuth client, for OAuth tokens and client secrets' }) client_id?: string;
  @ApiProperty({ type: [String], description: 'Effective scopes, sorted: granted ∩ held by the user now' }) scopes: string[];
  @ApiProperty({ type: String, nullable: true, description: 'When the credential stops working (ISO 8601), null if it never expires' })
  expires_at: string | null;
  @ApiPropertyOptional({ type: MeActorView }) act?: MeActorView;
}
