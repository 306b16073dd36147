import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_RESPONSE_LENGTH } from '../../passkeys/dto/passkey.forms';

/**
 * POST /step-up: JSON `{ method: "password" | "totp" | "passkey", password?, code?, response?, action? }`,
 * or the re-authentication page's form (`_stepup_method`, `_stepup_password`, `_stepup_code`,
 * `_stepup_response`, `return`, `_csrf`). A passkey's `response` answers the challenge of
 * `POST /step-up/passkey/options` (WebAuthn Level 3 §7.2). Lengths are bounded generously here so that the handler answers a too-long value with
 * its own message (a 400), not the validator's.
 */
export class StepUpDto {
  @ApiPropertyOptional({ enum: ['password', 'totp', 'passkey'] })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  method?: string;

  @ApiPropertyOptional({ description: 'The account password (method password)' })
  @IsOptional()
  @IsString()
  @MaxLength(16_384)
  password?: string;

  @ApiPropertyOptional({ description: 'A six-digit authenticator code (method totp)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  code?: string;

  @ApiPropertyOptional({
    description:
      'Method passkey: the PublicKeyCredential from startAuthentication() (AuthenticationResponseJSON), serialized to a string, answering the challenge of POST /step-up/passkey/options',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_RESPONSE_LENGTH)
  response?: string;

  @ApiPropertyOptional({
    description: 'With SUDO_MODE_SECONDS=0: the action the 403 named (`"POST /account/tokens"`), which the next request may then do once',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  action?: string;

  @IsOptional() @IsString() @MaxLength(32) _stepup_method?: string;
  @IsOptional() @IsString() @MaxLength(16_384) _stepup_password?: string;
  @IsOptional() @IsString() @MaxLength(256) _stepup_code?: string;
  @IsOptional() @IsString() @MaxLength(MAX_RESPONSE_LENGTH) _stepup_response?: string;
  @IsOptional() @IsString() @MaxLength(4096) return?: string;
  @IsOptional() @IsString() _csrf?: string;
}
