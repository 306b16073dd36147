import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** One checked box arrives as a string, several as an array. */
const asList = ({ value }: { value: unknown }) => (value === undefined ? undefined : [value].flat());

/**
 * The forms of the Bots pages. Deliberately loose (every field a browser can send passes);
 * the services' checks produce the messages the page shows.
 */
export class BotForm {
  @IsOptional() @IsString() @MaxLength(1000) name?: string;
  @IsOptional() @IsString() @MaxLength(1000) description?: string;
  @IsOptional() @Transform(asList) @IsArray() @IsString({ each: true }) @MaxLength(32, { each: true }) roles?: string[];
  @IsOptional() @IsString() @MaxLength(254) email?: string;
  @IsOptional() @IsIn(['active', 'disabled']) status?: 'active' | 'disabled';
  @IsOptional() @IsString() _csrf?: string;
}
