import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { Client } from '../clients/client.entity';
import { BoolColumn } from '../database/entity-columns';
import type { JwtSigningAlg } from '../clients/client-types';

/**
 * A client's OpenID Connect registration (Dynamic Client Registration §2 field names, set through
 * the admin API and pages): how its id_tokens are signed, where logout may send the browser back
 * to, and where back-channel logout notices go. A client without a row has the defaults: ES256,
 * no post-logout redirect URIs, no back-channel logout. Subject identifiers are always `public`.
 */
@Entity('oidc_client_settings')
export class OidcClientSettings {
  /** clients.client_id */
  @ForeignKey(() => Client, { onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  /** `id_token_signed_response_alg`: ES256 (default) or RS256. */
  @Column({ name: 'id_token_alg', type: 'varchar', length: 8, default: 'ES256' })
  idTokenAlg: JwtSigningAlg;

  /** `post_logout_redirect_uris` (RP-Initiated Logout §3.1), matched exactly. JSON array. */
  @Column({ name: 'post_logout_redirect_uris', type: 'simple-json', nullable: true })
  postLogoutRedirectUris: string[] | null;

  /** `backchannel_logout_uri` (Back-Channel Logout §2.2); null: none. */
  @Column({ name: 'backchannel_logout_uri', type: 'varchar', length: 2000, nullable: true })
  backchannelLogoutUri: string | null;

  /** `backchannel_logout_session_required` (Back-Channel Logout §2.2): its logout tokens must carry `sid`. */
  @BoolColumn('backchannel_logout_session_required', { default: false })
  backchannelLogoutSessionRequired: boolean;
}
