import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but `null` is validated like any other value, so a type check refuses
 * it. For PATCH bodies over NOT NULL columns: IsOptional skips null too, and it reached the service
 * or the database (a 500). PartialType(Dto, { skipNullProperties: false }) does the same for a
 * DTO derived from a create DTO.
 */
export const OptionalNotNull = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);
