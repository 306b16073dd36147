import { ApiProperty } from '@nestjs/swagger';
import { ACCESS_TOKEN_FORMATS, type AccessTokenFormat, JWT_SIGNING_ALGS, type JwtSigningAlg } from '../../clients/client-types';

/** The access-token settings of a client. */
export class ClientTokenSettingsView {
  @ApiProperty() clientId: string;
  @ApiProperty({ enum: ACCESS_TOKEN_FORMATS }) accessTokenFormat: AccessTokenFormat;
  @ApiProperty({ enum: JWT_SIGNING_ALGS }) accessTokenAlg: JwtSigningAlg;
  @ApiProperty({ type: String, nullable: true }) resourceUri: string | null;
}
