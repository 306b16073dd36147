import { Transform } from 'class-transformer';
import { IsArray, IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { GRANT_TYPES, GrantType } from '../../clients/client-types';
import { ClientFormDto, toList } from '../../clients/dto/client-form.dto';

/**
 * The admin page's registration form: the Developer settings form (name, type, redirect URIs one
 * per line, scopes as checkboxes, `_csrf`) plus the owner, the grant types and introspection.
 * ClientsService checks the rest (redirect URIs, scopes the owner holds, grant type rules).
 */
export class AdminClientForm extends ClientFormDto {
  @IsEmail()
  @MaxLength(254)
  ownerEmail: string;

  /** None checked: the defaults for the type and redirect URIs. */
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(GRANT_TYPES, { each: true })
  grantTypes?: GrantType[];

  @IsOptional()
  @IsIn(['on', 'true', '1'])
  introspectionAllowed?: string;
}
