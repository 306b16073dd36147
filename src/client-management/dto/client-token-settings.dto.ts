import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { ACCESS_TOKEN_FORMATS, type AccessTokenFormat, JWT_SIGNING_ALGS, type JwtSigningAlg } from '../../clients/client-types';

/**
 * An admin's access-token settings for one client (JWT access tokens, RFC 9068; resources, RFC 8707).
 * A field may be left out; null is a 400 for the format and algorithm (NOT NULL), and removes the resource.
 */
export class ClientTokenSettingsDto {
  @ApiPropertyOptional({ enum: ACCESS_TOKEN_FORMATS, description: 'opaque (ghat_…, default) or jwt (RFC 9068)' })
  @OptionalNotNull()
  @IsIn(ACCESS_TOKEN_FORMATS)
  accessTokenFormat?: AccessTokenFormat;

  @ApiPropertyOptional({ enum: JWT_SIGNING_ALGS, description: 'JWS algorithm of its JWT access tokens (default ES256)' })
  @OptionalNotNull()
  @IsIn(JWT_SIGNING_ALGS)
  accessTokenAlg?: JwtSigningAlg;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Makes the client a resource server named by this RFC 8707 resource indicator (absolute https URI, no fragment); null removes it',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUrl({ require_protocol: true, require_tld: false, protocols: ['https', 'http'], allow_fragments: false })
  @MaxLength(255)
  resourceUri?: string | null;
}
