import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { CLIENT_TYPES, ClientType, GRANT_TYPES, GrantType } from '../client-types';

/** A client registration. Scopes and redirect URIs are checked further by ClientsService. */
export class CreateClientDto {
  @ApiProperty({ example: 'Radon dashboard' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: CLIENT_TYPES })
  @IsIn(CLIENT_TYPES)
  type: ClientType;

  @ApiPropertyOptional({ type: [String], example: ['https://app.example.com/callback'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ enum: GRANT_TYPES, isArray: true, description: 'Defaults by type and redirect URIs' })
  @IsOptional()
  @IsArray()
  @IsIn(GRANT_TYPES, { each: true })
  grantTypes?: GrantType[];

  @ApiPropertyOptional({ type: [String], example: ['read:device'], description: 'Also the default scopes of a token request' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  scopes?: string[];
}
