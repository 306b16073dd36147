import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OidcClientSettings } from './oidc-client-settings.entity';

/** A client's OpenID Connect registration, as the rest of the module reads it (defaults when it has none). */
export type ClientOidcSettings = Pick<OidcClientSettings, 'idTokenAlg' | 'backchannelLogoutUri'> & {
  postLogoutRedirectUris: string[];
};

const DEFAULTS: ClientOidcSettings = { idTokenAlg: 'ES256', postLogoutRedirectUris: [], backchannelLogoutUri: null };

/** Reads and writes `oidc_client_settings`. */
@Injectable()
export class OidcClientSettingsService {
  constructor(@InjectRepository(OidcClientSettings) private readonly settings: Repository<OidcClientSettings>) {}

  async forClient(clientId: string): Promise<ClientOidcSettings> {
    const row = await this.settings.findOneBy({ clientId });
    if (!row) return { ...DEFAULTS };
    return {
      idTokenAlg: row.idTokenAlg,
      postLogoutRedirectUris: row.postLogoutRedirectUris ?? [],
      backchannelLogoutUri: row.backchannelLogoutUri,
    };
  }

  /** Replaces the given fields (the others keep their values or defaults). */
  async update(clientId: string, changes: Partial<ClientOidcSettings>): Promise<ClientOidcSettings> {
    const next = { ...(await this.forClient(clientId)), ...changes };
    await this.settings.save(this.settings.create({ clientId, ...next }));
    return next;
  }
}
