import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { CreateClientDto } from '../../clients/dto/create-client.dto';

/** An admin registers a client for any user, and may let it introspect every token. */
export class AdminCreateClientDto extends CreateClientDto {
  @ApiProperty({ description: 'The user who owns the client' })
  @IsUUID()
  ownerId: string;

  @ApiPropertyOptional({ description: 'A resource server that may introspect any token (RFC 7662 §4)' })
  @IsOptional()
  @IsBoolean()
  introspectionAllowed?: boolean;
}
