import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import { InvalidTargetError } from '../auth/errors/oauth.errors';
import type { OAuthParams } from '../oauth/oauth-params';

/**
 * RFC 8707 resource indicators at the token endpoint. A client names the API it wants a token
 * for with `resource` (or `audience`, as some libraries send); it must be a resource server an
 * admin registered (a client with a `resourceUri`). Its URI becomes the token's `aud`.
 */
@Injectable()
export class ResourceIndicatorsService {
  constructor(private readonly clients: ClientsService) {}

  /** The validated audience, or undefined when none was asked for (Gatehouse's own API). */
  async audienceFor(params: OAuthParams): Promise<string | undefined> {
    const resource = params.get('resource');
    const audience = params.get('audience');
    if (resource && audience && resource !== audience) throw new InvalidTargetError('Give one resource: resource and audience differ');
    const requested = resource ?? audience;
    if (requested === undefined) return undefined;
    // RFC 8707 §2: an absolute URI without a fragment.
    let url: URL;
    try {
      url = new URL(requested);
    } catch {
      throw new InvalidTargetError('resource must be an absolute URI (RFC 8707 §2)');
    }
    if (url.hash || requested.includes('#')) throw new InvalidTargetError('resource must not contain a fragment (RFC 8707 §2)');
    if (!(await this.clients.findResourceServer(requested)))
      throw new InvalidTargetError('Unknown resource: no resource server is registered for it');
    return requested;
  }
}
