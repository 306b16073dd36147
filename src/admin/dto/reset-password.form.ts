import { ResetPasswordDto } from './reset-password.dto';
import { withCsrfField } from './with-csrf-field';

/** The admin page's form: the API's body plus the CSRF field. */
export class ResetPasswordForm extends withCsrfField(ResetPasswordDto) {}
