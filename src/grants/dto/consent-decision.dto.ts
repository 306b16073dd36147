import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The consent form: the decision, the CSRF token and the authorization request carried back
 * in hidden fields. The request is validated again in full: hidden fields are not trusted.
 */
export class ConsentDecisionDto {
  @IsIn(['approve', 'deny'])
  decision: 'approve' | 'deny';

  /** Checked by the session cookie strategy before the handler runs. */
  @IsString()
  _csrf: string;

  @IsOptional() @IsString() @MaxLength(32) response_type?: string;
  @IsOptional() @IsString() @MaxLength(64) client_id?: string;
  @IsOptional() @IsString() @MaxLength(2000) redirect_uri?: string;
  @IsOptional() @IsString() @MaxLength(1000) scope?: string;
  @IsOptional() @IsString() @MaxLength(2000) state?: string;
  @IsOptional() @IsString() @MaxLength(128) code_challenge?: string;
  @IsOptional() @IsString() @MaxLength(16) code_challenge_method?: string;
}
