import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, MaxLength } from 'class-validator';

/** JSON body of POST /account/bots. The role ceiling is checked by the service. */
export class CreateBotDto {
  @ApiProperty({ example: 'CI deployer', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ example: 'Registers devices from the build pipeline', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ example: ['user'], description: 'Roles (admin, user, viewer); never more than the creator holds; admin only from admins' })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  roles: string[];
}
