import { BadRequestException, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { ClientActor } from '../client-management/client-management.service';
import type { Client } from '../clients/client.entity';
import { redirectUriProblem } from '../clients/redirect-uri';
import type { OidcClientSettingsDto } from './dto/oidc-client-settings.dto';
import type { OidcClientSettingsView } from './dto/oidc-client-settings.view';
import { type ClientOidcSettings, OidcClientSettingsService } from './oidc-client-settings.service';

/** The view of a client's OpenID Connect registration (API and pages). */
export function oidcSettingsView(clientId: string, s: ClientOidcSettings): OidcClientSettingsView {
  return {
    clientId,
    postLogoutRedirectUris: s.postLogoutRedirectUris,
    backchannelLogoutUri: s.backchannelLogoutUri,
    backchannelLogoutSessionRequired: s.backchannelLogoutSessionRequired,
    idTokenSignedResponseAlg: s.idTokenAlg,
    subjectType: 'public',
  };
}

/**
 * A client's OpenID Connect registration, edited through the admin and developer APIs and pages:
 * checked (the URIs like redirect URIs: absolute, https or http on a loopback host, no fragment,
 * no credentials; matched exactly later), saved, and audited as `client.oidc_update` with before
 * and after.
 */
@Injectable()
export class OidcClientRegistration {
  constructor(
    private readonly settings: OidcClientSettingsService,
    private readonly audit: AuditService,
  ) {}

  async view(client: Client): Promise<OidcClientSettingsView> {
    return oidcSettingsView(client.clientId, await this.settings.forClient(client.clientId));
  }

  async update(by: ClientActor, client: Client, dto: OidcClientSettingsDto): Promise<OidcClientSettingsView> {
    const changes = checked(dto);
    const before = oidcSettingsView(client.clientId, await this.settings.forClient(client.clientId));
    const after = oidcSettingsView(client.clientId, await this.settings.update(client.clientId, changes));
    const { clientId: _b, ...was } = before;
    const { clientId: _a, ...now } = after;
    await this.audit.record({
      action: 'client.oidc_update',
      outcome: 'success',
      actor: by.actor,
      credential: by.credential,
      target: { type: 'client', id: client.clientId },
      meta: by.meta,
      details: { before: was, after: now },
    });
    return after;
  }
}

/** The fields to change, checked; a BadRequestException naming every problem otherwise. */
function checked(dto: OidcClientSettingsDto): Partial<ClientOidcSettings> {
  const problems: string[] = [];
  const changes: Partial<ClientOidcSettings> = {};
  if (dto.postLogoutRedirectUris !== undefined) {
    const uris = [...new Set(dto.postLogoutRedirectUris)];
    for (const uri of uris) {
      const problem = redirectUriProblem(uri);
      if (problem) problems.push(`post-logout redirect URI "${uri}" ${problem}`);
    }
    changes.postLogoutRedirectUris = uris;
  }
  if (dto.backchannelLogoutUri !== undefined) {
    const uri = dto.backchannelLogoutUri;
    const problem = uri === null ? null : redirectUriProblem(uri);
    if (problem) problems.push(`back-channel logout URI "${uri}" ${problem}`);
    changes.backchannelLogoutUri = uri;
  }
  if (dto.backchannelLogoutSessionRequired !== undefined) changes.backchannelLogoutSessionRequired = dto.backchannelLogoutSessionRequired;
  if (dto.idTokenSignedResponseAlg !== undefined) changes.idTokenAlg = dto.idTokenSignedResponseAlg;
  if (problems.length > 0) throw new BadRequestException(problems.join('; '));
  return changes;
}
