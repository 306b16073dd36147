import { ValidationError } from '@nestjs/common';
import { ValidationFailedError } from '../../src/common/validation-failed.error';

describe('validation details: one problem per field (issue 15)', () => {
  const error = (property: string, constraints: Record<string, string>): ValidationError => ({ property, constraints, children: [] });

  it('?limit=abc says only that it must be an integer, not also its range', () => {
    const err = new ValidationFailedError([
      error('limit', {
        max: 'limit must not be greater than 100',
        min: 'limit must not be less than 1',
        isInt: 'limit must be an integer number',
      }),
    ]);
    expect(err.details).toEqual([{ field: 'limit', problems: ['limit must be an integer number'] }]);
  });

  it('an unknown field is named as such; a range problem alone is kept', () => {
    const err = new ValidationFailedError([
      error('extra', { whitelistValidation: 'property extra should not exist', isString: 'extra must be a string' }),
      error('co2', { min: 'co2 must not be less than 0' }),
    ]);
    expect(err.details).toEqual([
      { field: 'extra', problems: ['property extra should not exist'] },
      { field: 'co2', problems: ['co2 must not be less than 0'] },
    ]);
  });
});
