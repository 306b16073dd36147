import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GRANT_TYPES } from '../../clients/client-types';

/**
 * Shapes of the OAuth endpoints' bodies, for the OpenAPI document only: the endpoints read the
 * raw form or JSON themselves (RFC 6749 §3.2 names the fields in snake_case and says what an
 * unknown one means), so these classes are not validation DTOs.
 */

/** `POST /oauth/token` (RFC 6749 §4.1.3, §4.4.2, §6; RFC 8628 §3.4; RFC 8693 §2.1). */
export class TokenRequestBody {
  @ApiProperty({ enum: GRANT_TYPES }) grant_type: string;
  @ApiPropertyOptional({ description: 'authorization_code: the code from the redirect' }) code?: string;
  @ApiPropertyOptional({ description: 'authorization_code: the redirect URI of the authorization request' }) redirect_uri?: string;
  @ApiPropertyOptional({ description: 'authorization_code: the PKCE verifier (RFC 7636 §4.5)' }) code_verifier?: string;
  @ApiPropertyOptional({ description: 'refresh_token: the refresh token' }) refresh_token?: string;
  @ApiPropertyOptional({ description: 'device_code grant: the device code (RFC 8628 §3.4)' }) device_code?: string;
  @ApiPropertyOptional({ description: 'Space-separated scopes: at most those granted (RFC 6749 §3.3)' }) scope?: string;
  @ApiPropertyOptional({ description: 'Public clients, and client_secret_post' }) client_id?: string;
  @ApiPropertyOptional({ description: 'client_secret_post; prefer HTTP Basic (client_secret_basic)' }) client_secret?: string;
}

/** RFC 6749 §5.1. */
export class TokenResponseBody {
  @ApiProperty({ example: 'ghat_…' }) access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: string;
  @ApiProperty({ description: 'Seconds', example: 3600 }) expires_in: number;
  @ApiPropertyOptional({ description: 'Clients allowed the refresh_token grant; rotates at every use', example: 'ghrt_…' })
  refresh_token?: string;
  @ApiProperty({ example: 'read:device' }) scope: string;
}

/** RFC 6749 §5.2 (also RFC 7009 §2.2.1, RFC 8628 §3.5). */
export class OAuthErrorBody {
  @ApiProperty({
    example: 'invalid_grant',
    description: 'invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, …',
  })
  error: string;
  @ApiPropertyOptional({ description: 'In words, for the developer' }) error_description?: string;
}

/** `POST /oauth/revoke` (RFC 7009 §2.1). */
export class RevocationRequestBody {
  @ApiProperty() token: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] }) token_type_hint?: string;
  @ApiPropertyOptional({ description: 'Public clients, and client_secret_post' }) client_id?: string;
  @ApiPropertyOptional() client_secret?: string;
}

/** `POST /oauth/introspect` (RFC 7662 §2.1). */
export class IntrospectionRequestBody {
  @ApiProperty() token: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token', 'personal_access_token'] }) token_type_hint?: string;
  @ApiPropertyOptional({ description: 'client_secret_post; prefer HTTP Basic' }) client_id?: string;
  @ApiPropertyOptional() client_secret?: string;
}
