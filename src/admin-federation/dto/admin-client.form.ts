import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { ClientFormDto } from '../../client-management/dto/client-form.dto';

/**
 * The admin page's registration form: the Developer settings form (name, type, redirect URIs one
 * per line, scopes and grant types as checkboxes, `_csrf`) plus the owner and introspection.
 * ClientsService checks the rest (redirect URIs, scopes the owner holds, grant type rules).
 */
export class AdminClientForm extends ClientFormDto {
  @IsEmail()
  @MaxLength(254)
  ownerEmail: string;

  @IsOptional()
  @IsIn(['on', 'true', '1'])
  introspectionAllowed?: string;
}
