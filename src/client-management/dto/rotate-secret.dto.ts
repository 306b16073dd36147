import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class RotateSecretDto {
  @ApiPropertyOptional({ description: 'Revoke the previous secrets now instead of after the grace period' })
  @IsOptional()
  @IsBoolean()
  revokeOld?: boolean;
}
