import { SetRolesDto } from './set-roles.dto';
import { withCsrfField } from './with-csrf-field';

/** The admin page's form: the API's body plus the CSRF field. */
export class SetRolesForm extends withCsrfField(SetRolesDto) {}
