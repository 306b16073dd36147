import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OidcClientSettings } from './oidc-client-settings.entity';

/** A client's OpenID Connect registration, as the rest of the module reads it (defaults when it has none). */
export type ClientOidcSettings = Pick<OidcClientSettings, 'idTokenAlg' | 'backchannelLogoutUri' | 'backchannelLogoutSessionRequired'> & {
  postLogoutRedirectUris: string[];
};

const DEFAULTS: ClientOidcSettings = {
  idTokenAlg: 'ES256',
  postLogoutRedirectUris: [],
  backchannelLogoutUri: null,
  backchannelLogoutSessionRequired: false,
};

/** Reads and writes `oidc_client_settings`. */
@Injectable()
export class OidcClientSettingsService {
  constructor(@InjectRepository(OidcClientSettings) private readonly settings: Repository<OidcClientSettings>) {}

  async forClient(clientId: string): Promise<ClientOidcSettings> {
    const row = await this.settings.findOneBy({ clientId });
    return row ? toSettings(row) : { ...DEFAULTS };
  }

  /** The settings of several clients at once (back-channel logout: every client of a session). */
  async forClients(clientIds: readonly string[]): Promise<Map<string, ClientOidcSettings>> {
    const rows = clientIds.length ? await this.settings.findBy(clientIds.map((clientId) => ({ clientId }))) : [];
    const found = new Map(rows.map((r) => [r.clientId, toSettings(r)]));
    return new Map(clientIds.map((id) => [id, found.get(id) ?? { ...DEFAULTS }]));
  }

  /** Replaces the given fields (the others keep their values or defaults). */
  async update(clientId: string, changes: Partial<ClientOidcSettings>): Promise<ClientOidcSettings> {
    const next = { ...(await this.forClient(clientId)), ...changes };
    await this.settings.save(this.settings.create({ clientId, ...next }));
    return next;
  }
}

function toSettings(row: OidcClientSettings): ClientOidcSettings {
  return {
    idTokenAlg: row.idTokenAlg,
    postLogoutRedirectUris: row.postLogoutRedirectUris ?? [],
    backchannelLogoutUri: row.backchannelLogoutUri,
    backchannelLogoutSessionRequired: row.backchannelLogoutSessionRequired,
  };
}
