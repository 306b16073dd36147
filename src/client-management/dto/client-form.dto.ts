import { OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { CLIENT_TYPES, ClientType, GRANT_TYPES, GrantType } from '../../clients/client-types';

/** A form field that may be sent once or repeated (checkboxes) as a list. */
export const toList = ({ value }: { value: unknown }) => (value === undefined ? undefined : [value].flat());

/** The redirect URIs of a form's textarea: one per line, blank lines ignored. */
export function redirectUriLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The Developer settings registration form (one redirect URI per line, scopes as checkboxes). */
export class ClientFormDto {
  @IsString()
  @Length(1, 100)
  name: string;

  @IsIn(CLIENT_TYPES)
  type: ClientType;

  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  redirectUris?: string;

  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsString({ each: true })
  scopes?: string[];

  /** The ticked grant types (an explicit choice); none ticked means the defaults for the type. */
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(GRANT_TYPES, { each: true })
  grantTypes?: GrantType[];

  @IsOptional()
  @IsString()
  _csrf?: string;
}

/** The client edit form: like registration, without the type (fixed once registered). */
export class ClientEditFormDto extends OmitType(ClientFormDto, ['type'] as const) {}

/** Rotate form: a checkbox to revoke the old secret now. */
export class RotateSecretFormDto {
  @IsOptional()
  @IsIn(['on', 'true', '1'])
  revokeOld?: string;

  @IsOptional()
  @IsString()
  _csrf?: string;
}

/** Forms that carry only the CSRF token. */
export class CsrfOnlyFormDto {
  @IsOptional()
  @IsString()
  _csrf?: string;
}
