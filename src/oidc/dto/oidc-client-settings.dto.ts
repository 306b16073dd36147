import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { JWT_SIGNING_ALGS, type JwtSigningAlg } from '../../clients/client-types';
import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { SUBJECT_TYPES_SUPPORTED, type SubjectType } from '../subject-identifiers';

/**
 * `PATCH /admin/clients/:clientId/oidc` and `PATCH /developer/clients/:clientId/oidc`: a
 * client's OpenID Connect registration (Dynamic Client Registration 1.0 §2 fields, camelCased).
 * Any field may be left out; null is a 400 except for `backchannelLogoutUri`, which null removes.
 * The URIs are checked further like redirect URIs (OidcClientRegistration).
 */
export class OidcClientSettingsDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['https://app.example.com/signed-out'],
    description: '`post_logout_redirect_uris` (RP-Initiated Logout §3.1): https (http on loopback), no fragment, matched exactly',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  postLogoutRedirectUris?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://app.example.com/backchannel-logout',
    description: '`backchannel_logout_uri` (Back-Channel Logout §2.2): where logout tokens are POSTed; null removes it',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(2000)
  backchannelLogoutUri?: string | null;

  @ApiPropertyOptional({ description: '`backchannel_logout_session_required`: logout tokens always carry `sid` (they always do here)' })
  @OptionalNotNull()
  @IsBoolean()
  backchannelLogoutSessionRequired?: boolean;

  @ApiPropertyOptional({ enum: JWT_SIGNING_ALGS, description: '`id_token_signed_response_alg` (default ES256)' })
  @OptionalNotNull()
  @IsIn(JWT_SIGNING_ALGS, { message: `idTokenSignedResponseAlg must be one of ${JWT_SIGNING_ALGS.join(', ')} ("none" is never offered)` })
  idTokenSignedResponseAlg?: JwtSigningAlg;

  @ApiPropertyOptional({ enum: SUBJECT_TYPES_SUPPORTED, description: '`subject_type`: public only (pairwise is not offered)' })
  @OptionalNotNull()
  @IsIn(SUBJECT_TYPES_SUPPORTED, { message: 'subjectType must be public (pairwise subject identifiers are not offered)' })
  subjectType?: SubjectType;
}
