import { BadRequestException, ValidationError } from '@nestjs/common';

/** 400 listing every field that failed validation, with nested paths (`samples.3.co2`). */
export class ValidationFailedError extends BadRequestException {
  readonly details: { field: string; problems: string[] }[];

  constructor(errors: ValidationError[]) {
    super('Validation failed');
    this.details = flatten(errors);
  }
}

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}
