import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { JWT_SIGNING_ALGS, type JwtSigningAlg } from '../../clients/client-types';

/** The OpenID Connect settings form of a client's page (one post-logout redirect URI per line). */
export class OidcClientSettingsForm {
  @IsOptional()
  @IsString()
  @MaxLength(45_000)
  postLogoutRedirectUris?: string;

  /** Empty: no back-channel logout. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  backchannelLogoutUri?: string;

  @IsOptional()
  @IsIn(['on', 'true', '1'])
  backchannelLogoutSessionRequired?: string;

  @IsIn(JWT_SIGNING_ALGS)
  idTokenSignedResponseAlg: JwtSigningAlg;

  @IsOptional()
  @IsString()
  _csrf?: string;
}
