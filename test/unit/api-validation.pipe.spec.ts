import { BadRequestException } from '@nestjs/common';
import { IsEmail, IsOptional, IsString, ValidateBy } from 'class-validator';
import { ApiValidationPipe } from '../../src/common/api-validation.pipe';

class EmailDto {
  @IsEmail()
  email: string;
}

class ThrowingDto {
  @ValidateBy({
    name: 'explodes',
    validator: {
      validate: () => {
        throw new URIError('URI malformed');
      },
    },
  })
  value: string;
}

class AllOptionalDto {
  @IsOptional() @IsString() name?: string;
}

const pipe = new ApiValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
const body = (metatype: new () => object) => ({ type: 'body' as const, metatype });

describe('ApiValidationPipe', () => {
  it('answers a validator that throws (isEmail on a lone surrogate: URIError) with a 400', async () => {
    await expect(pipe.transform({ email: '\ud800@example.com' }, body(EmailDto))).rejects.toBeInstanceOf(BadRequestException);
    await expect(pipe.transform({ value: 'x' }, body(ThrowingDto))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('refuses a body that is an array, null or a bare value, even where every field is optional', async () => {
    for (const value of [[], [[]], [{}], null, 'text', 7]) {
      await expect(pipe.transform(value, body(AllOptionalDto))).rejects.toBeInstanceOf(BadRequestException);
    }
    // No body at all is an empty object, as before.
    await expect(pipe.transform(undefined, body(AllOptionalDto))).resolves.toBeInstanceOf(AllOptionalDto);
    await expect(pipe.transform({ name: 'x' }, body(AllOptionalDto))).resolves.toEqual({ name: 'x' });
  });
});
