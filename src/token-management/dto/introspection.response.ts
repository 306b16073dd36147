import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 7662 §2.2. An inactive token is `{ active: false }` and nothing else. */
export class IntrospectionResponse {
  @ApiProperty() active: boolean;
  @ApiPropertyOptional() scope?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional({ description: 'The user behind the token' }) sub?: string;
  @ApiPropertyOptional({ enum: ['person', 'bot'], description: 'Gatehouse extension: the kind of user `sub` is' }) user_kind?:
    'person' | 'bot';
  @ApiPropertyOptional({
    description: 'RFC 8693 §4.1: the party acting for `sub` (impersonation tokens)',
    example: { sub: 'admin-user-id' },
  })
  act?: { sub: string };
  @ApiPropertyOptional({ description: 'RFC 8707: the resource the token is for, when one was asked for' }) aud?: string;
  @ApiPropertyOptional() exp?: number;
  @ApiPropertyOptional() iat?: number;
  @ApiPropertyOptional({ example: 'Bearer' }) token_type?: string;
  @ApiPropertyOptional() iss?: string;
}
