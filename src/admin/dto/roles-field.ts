import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn } from 'class-validator';
import { ROLES } from '../../auth/roles';

/** A roles list: JSON sends an array; an HTML form sends one value or repeats the field. */
export const RolesField = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value)),
    IsArray(),
    ArrayMinSize(1, { message: 'choose at least one role' }),
    ArrayMaxSize(ROLES.length),
    IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` }),
  );
