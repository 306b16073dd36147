import { BadRequestException, ValidationError } from '@nestjs/common';

/**
 * 400 listing every field that failed validation, with nested paths (`samples.3.co2`), and one
 * problem per field: the most basic one (`limit must be an integer number`, not also "must not
 * be less than 1" and "must not be greater than 100" for `?limit=abc`).
 */
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
    const own = e.constraints ? [{ field, problems: [firstProblem(e.constraints)] }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Constraints checked first: presence and unknown fields, then the value's type, then its range. */
const BASIC = ['whitelistValidation', 'isDefined', 'isNotEmpty'];

function firstProblem(constraints: Record<string, string>): string {
  const keys = Object.keys(constraints);
  const key = keys.find((k) => BASIC.includes(k)) ?? keys.find((k) => /^is[A-Z]/.test(k)) ?? keys[0];
  return constraints[key];
}
