import { SetMfaPolicyDto } from '../../mfa-policy/dto/mfa-policy.dto';
import { withCsrfField } from './with-csrf-field';

/** The two-factor policy form of the admin pages: the API's DTO plus `_csrf`. */
export class MfaPolicyForm extends withCsrfField(SetMfaPolicyDto) {}
