import { CreateUserDto } from './create-user.dto';
import { withCsrfField } from './with-csrf-field';

/** The admin page's form: the API's body plus the CSRF field. */
export class CreateUserForm extends withCsrfField(CreateUserDto) {}
