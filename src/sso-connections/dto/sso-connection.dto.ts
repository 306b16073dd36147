import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../../auth/roles';
import { BlankToUndefined } from '../../common/blank-to-undefined';

/** A list field: JSON sends an array; a form sends one comma- or space-separated string. */
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(/[\s,]+/)
        .map((v) => v.trim().toLowerCase())
        .filter(Boolean)
    : Array.isArray(value)
      ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v))
      : value;
/** A form checkbox: present ("on") or absent; JSON sends a boolean. */
const toBool = ({ value }: { value: unknown }) => (value === 'on' || value === 'true' ? true : value === 'false' ? false : value);

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;
const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** The fields an admin may change; every one optional (PATCH), the client secret replaced only when given. */
export class UpdateSsoConnectionDto {
  @ApiPropertyOptional({ example: 'Example Corp', maxLength: 100 })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    example: 'https://login.example.com/realms/corp',
    description: 'Issuer identifier; its discovery document is fetched and checked on save',
  })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'issuer must be an http(s) URL without query or fragment' })
  issuer?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  clientId?: string;

  @ApiPropertyOptional({ format: 'password', description: 'Write-only: sealed at rest, never returned. Omit to keep the current one.' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  clientSecret?: string;

  @ApiPropertyOptional({ isArray: true, example: ['openid', 'email', 'profile'], description: '`openid` is always added' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(SCOPE, { each: true, message: 'each scope must be a scope token (RFC 6749 §3.3)' })
  scopes?: string[];

  @ApiPropertyOptional({ example: 'email', description: 'The claim holding the email (Entra ID: `email` or `preferred_username`)' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @Matches(CLAIM)
  emailClaim?: string;

  @ApiPropertyOptional({ example: 'name' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @Matches(CLAIM)
  nameClaim?: string;

  @ApiPropertyOptional({
    isArray: true,
    example: ['corp.example'],
    description: 'Email domains accepted; empty: any. Home-realm discovery routes them here.',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(DOMAIN, { each: true, message: 'each domain must be a domain name like corp.example' })
  allowedDomains?: string[];

  @ApiPropertyOptional({
    isArray: true,
    example: ['corp.example'],
    description: 'Domains that must sign in here: password sign-in and reset are refused for them',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(DOMAIN, { each: true, message: 'each domain must be a domain name like corp.example' })
  requiredDomains?: string[];

  @ApiPropertyOptional({ enum: ROLES, isArray: true, example: ['user'], description: 'Roles of an account created at first sign-in' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` })
  defaultRoles?: Role[];

  @ApiPropertyOptional({ description: 'Link to an existing account with the same email, only when the IdP also says email_verified: true' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  trustEmail?: boolean;

  @ApiPropertyOptional({ description: 'An upstream `amr` containing `mfa` satisfies MFA_REQUIRED' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  upstreamMfa?: boolean;
}

/** A new connection (admin API, admin page, CLI). */
export class CreateSsoConnectionDto extends UpdateSsoConnectionDto {
  @ApiProperty({ example: 'corp', description: 'In URLs: /auth/sso/<slug>/callback is the redirect URI to register at the IdP' })
  @IsString()
  @Matches(SLUG, { message: 'slug must be lower-case letters, digits and hyphens (at most 63)' })
  slug: string;

  @ApiProperty({ example: 'Example Corp', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  declare name: string;

  @ApiProperty({ example: 'https://login.example.com/realms/corp' })
  @IsString()
  @MaxLength(255)
  @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'issuer must be an http(s) URL without query or fragment' })
  declare issuer: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  declare clientId: string;

  @ApiProperty({ format: 'password', description: 'Write-only: sealed at rest, never returned' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  declare clientSecret: string;
}

/** "Disable" on the API and page: optionally end the sessions started through this connection. */
export class DisableSsoConnectionDto {
  @ApiPropertyOptional({ description: 'Also end every live session of the users linked through this connection' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  endSessions?: boolean;
}
