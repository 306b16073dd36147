import { ArgumentMetadata, BadRequestException, Logger, ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { PageQuery, plainPageQuery } from './page.query';

/**
 * The app's ValidationPipe, with two refusals the stock pipe lacks (each a bounded check, no walk):
 * - A body validated as a DTO must be a JSON object (or absent): an array, `null` or a bare value
 *   is a 400. The stock pipe validated `[]` against the DTO's rules as if it were an object, so a
 *   DTO whose fields are all optional (a PATCH) let it through.
 * - A validator that throws instead of answering is a 400, not a 500: validator.js's isEmail, isURL
 *   and isFQDN call encodeURI, which throws URIError on a lone UTF-16 surrogate (JSON bodies refuse
 *   those already, see json-shape.ts; this covers every other way to reach a throwing validator).
 */
export class ApiValidationPipe extends ValidationPipe {
  private readonly logger = new Logger('Validation');

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      value !== undefined &&
      this.toValidate(metadata) &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new BadRequestException('The request body must be a JSON object or a form');
    }
    // A list's plain `?limit=&cursor=` skips class-transformer and class-validator (docs/performance.md).
    if (metadata.type === 'query' && metadata.metatype === PageQuery) {
      const page = plainPageQuery(value);
      if (page) return page;
    }
    return super.transform(value, metadata);
  }

  protected async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    try {
      return await super.validate(object, validatorOptions);
    } catch (err) {
      // The error's name and message only: the value that made it throw may be a secret.
      this.logger.warn(`A validator threw ${(err as Error)?.name ?? 'an error'} (${(err as Error)?.message ?? ''}); answered 400`);
      throw new BadRequestException('Validation failed: a value could not be read (malformed text)');
    }
  }
}
