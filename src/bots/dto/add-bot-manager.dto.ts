import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** JSON body of POST /account/bots/:id/managers. */
export class AddBotManagerDto {
  @ApiProperty({ example: 'colleague@example.com', description: 'An active person' })
  @IsString()
  @MaxLength(254)
  email: string;
}
