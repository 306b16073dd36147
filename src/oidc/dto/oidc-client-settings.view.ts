import { ApiProperty } from '@nestjs/swagger';
import { JWT_SIGNING_ALGS, type JwtSigningAlg } from '../../clients/client-types';
import { SUBJECT_TYPES_SUPPORTED, type SubjectType } from '../subject-identifiers';

/** A client's OpenID Connect registration. */
export class OidcClientSettingsView {
  @ApiProperty() clientId: string;
  @ApiProperty({ type: [String] }) postLogoutRedirectUris: string[];
  @ApiProperty({ type: String, nullable: true }) backchannelLogoutUri: string | null;
  @ApiProperty() backchannelLogoutSessionRequired: boolean;
  @ApiProperty({ enum: JWT_SIGNING_ALGS }) idTokenSignedResponseAlg: JwtSigningAlg;
  @ApiProperty({ enum: SUBJECT_TYPES_SUPPORTED }) subjectType: SubjectType;
}
