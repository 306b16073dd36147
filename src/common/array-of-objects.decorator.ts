import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, ValidateNested } from 'class-validator';

/**
 * A list of `type` objects, `min`–`max` of them, each validated as `type`. Every item must be an
 * object: ValidateNested({ each: true }) alone walks into nested arrays and validates their items
 * instead, so `[[]]` passed with nothing checked and an unreadable row was written.
 */
export function ArrayOfObjects(type: () => ClassType, min: number, max: number): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMinSize(min),
    ArrayMaxSize(max),
    IsObject({ each: true, message: 'each item of $property must be an object' }),
    ValidateNested({ each: true }),
    Type(type),
  );
}
