import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SLUG } from '../../sso-connections/dto/sso-connection.dto';

/** "Link <IdP>" on the account page: the connection and the current password (step-up). */
export class LinkIdentityForm {
  @IsString()
  @Matches(SLUG)
  slug: string;

  @IsString()
  @MaxLength(1024)
  password: string;

  @IsOptional()
  @IsString()
  _csrf?: string;
}
