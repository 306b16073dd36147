import { PartialType, PickType } from '@nestjs/swagger';
import { CreateClientDto } from '../../clients/dto/create-client.dto';

/**
 * `PATCH /developer/clients/:clientId` and `PATCH /admin/clients/:clientId`: any of name,
 * redirect URIs, grant types and scopes; omitted fields stay as they are. The client_id, the type
 * (public or confidential), the owner and the secrets never change here; sending `type` is a 400.
 */
export class UpdateClientDto extends PartialType(PickType(CreateClientDto, ['name', 'redirectUris', 'grantTypes', 'scopes'] as const)) {}
