import { CreateSsoConnectionDto, DisableSsoConnectionDto, UpdateSsoConnectionDto } from '../../sso-connections/dto/sso-connection.dto';
import { withCsrfField } from '../../admin/dto/with-csrf-field';

/** The connection forms of the admin pages: the API's DTOs plus `_csrf`. */
export class SsoConnectionCreateForm extends withCsrfField(CreateSsoConnectionDto) {}
export class SsoConnectionUpdateForm extends withCsrfField(UpdateSsoConnectionDto) {}
export class SsoConnectionDisableForm extends withCsrfField(DisableSsoConnectionDto) {}
