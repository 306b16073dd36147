import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../../auth/roles';
import { RolesField } from './roles-field';

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true, example: ['user'] })
  @RolesField()
  roles: Role[];
}
