import type { Client } from '../clients/client.entity';
import type { ClientAuthMethod } from '../clients/client-authenticator.service';
import type { RequestMeta } from '../common/request-meta';
import type { OAuthParams } from '../oauth/oauth-params';

/** The successful token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  /** RFC 8693 §2.2.1: the type of the issued token (token exchange only). */
  issued_token_type?: string;
  /** OpenID Connect Core §3.1.3.3: added by the OIDC extension for `scope=openid`. */
  id_token?: string;
}

/** What a handler knows about the request beyond its parameters. */
export interface GrantRequestMeta extends RequestMeta {
  /** How the client authenticated; `none` for public clients. */
  authMethod: ClientAuthMethod;
  /**
   * RFC 8707: the registered resource the request asked for (`resource` or `audience`), already
   * validated by the token endpoint (unknown → invalid_target). It becomes the token's `aud`.
   */
  audience?: string;
}

/**
 * One grant type of the token endpoint. Implementations register themselves in the
 * GrantHandlerRegistry from their constructor; the token controller has already authenticated
 * the client and checked that it is allowed this grant type.
 */
export interface GrantHandler {
  readonly grantType: string;
  handle(client: Client, params: OAuthParams, meta: GrantRequestMeta): Promise<TokenResponse>;
}
