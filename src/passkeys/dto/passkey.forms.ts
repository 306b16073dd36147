import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_RESPONSE_LENGTH } from '../passkey-response';

/** The largest credential response accepted in a form field or JSON string (for another module's DTO: step-up). */
export { MAX_RESPONSE_LENGTH };

/** Longest passkey name kept (the column's length). */
export const MAX_PASSKEY_NAME = 100;

/** Adding a passkey: its name and the browser's `startRegistration()` result, as a JSON string. */
export class RegisterPasskeyForm {
  @ApiProperty({ description: 'What to call it ("Laptop", "YubiKey"), 1–100 characters', maxLength: MAX_PASSKEY_NAME })
  @IsString()
  @MaxLength(400)
  name: string;

  @ApiProperty({ description: 'The PublicKeyCredential as JSON (RegistrationResponseJSON), serialized to a string' })
  @IsString()
  @MaxLength(MAX_RESPONSE_LENGTH)
  response: string;

  @IsOptional()
  @IsString()
  _csrf?: string;
}

export class RenamePasskeyForm {
  @ApiProperty({ maxLength: MAX_PASSKEY_NAME })
  @IsString()
  @MaxLength(400)
  name: string;

  @IsOptional()
  @IsString()
  _csrf?: string;
}

export class PasskeyDeleteForm {
  @IsOptional()
  @IsString()
  _csrf?: string;
}

/** Signing in with a passkey: the browser's `startAuthentication()` result, as a JSON string. */
export class PasskeySignInForm {
  @ApiProperty({ description: 'The PublicKeyCredential as JSON (AuthenticationResponseJSON), serialized to a string' })
  @IsString()
  @MaxLength(MAX_RESPONSE_LENGTH)
  response: string;

  @ApiPropertyOptional({ description: 'Where to go afterwards (same-origin path)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  next?: string;
}

/** A passkey name as typed: trimmed, control characters refused; null when unusable. */
export function cleanPasskeyName(raw: string): string | null {
  const name = raw.trim().replace(/\s+/g, ' ');
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || name.length > MAX_PASSKEY_NAME || /[\u0000-\u001f\u007f]/.test(name)) return null;
  return name;
}

/** The body of the options requests: an empty JSON object (the options depend on nothing the client says). */
export class PasskeyOptionsRequest {}
