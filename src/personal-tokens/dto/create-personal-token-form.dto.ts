import { Transform } from 'class-transformer';
import { IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * The "Add API key" form. Deliberately loose: every field a browser can send passes here, and
 * the service's checks produce the messages the page shows next to the form.
 */
export class CreatePersonalTokenFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  name?: string;

  /** One checked box arrives as a string, several as an array. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === undefined ? undefined : [value].flat()))
  @IsArray()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  scopes?: string[];

  /** A number of days, or `never`. */
  @IsOptional()
  @IsString()
  @Matches(/^(\d{1,4}|never)$/)
  expiresInDays?: string;

  @IsOptional()
  @IsString()
  _csrf?: string;
}

/** The form's fields as the token services take them (`never` → null, no choice → the default). */
export function fromTokenForm(form: CreatePersonalTokenFormDto): {
  name: string;
  scopes: string[];
  expiresInDays: number | null | undefined;
} {
  const expiry = form.expiresInDays;
  return {
    name: form.name ?? '',
    scopes: form.scopes ?? [],
    expiresInDays: expiry === 'never' ? null : expiry === undefined ? undefined : Number(expiry),
  };
}
