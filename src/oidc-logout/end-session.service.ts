import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import { IdTokensService } from '../oidc/id-tokens.service';
import { OidcClientSettingsService } from '../oidc/oidc-client-settings.service';

/** Lengths past which a parameter is refused (nothing legitimate comes close). */
const MAX_LENGTH: Record<string, number> = {
  id_token_hint: 8192,
  logout_hint: 512,
  client_id: 128,
  post_logout_redirect_uri: 2000,
  state: 2048,
  ui_locales: 256,
};

/** A logout request that passed its checks (RP-Initiated Logout 1.0 §2, §3). */
export interface LogoutRequest {
  /** The client, from `client_id` or the hint's `aud`; null when neither names one. */
  clientId: string | null;
  clientName: string | null;
  /** A registered `post_logout_redirect_uri` (exact match), or null. */
  redirectUri: string | null;
  state: string | null;
  /** The verified hint's subject and session, when a hint came. */
  hint: { sub: string; sid: string | null } | null;
}

/** Why a logout request cannot be processed: shown on a page, never redirected (§3: no open redirect). */
export class LogoutRequestError extends Error {}

/**
 * Checks RP-initiated logout requests (RP-Initiated Logout 1.0 §2): `id_token_hint` must be an
 * id_token this issuer signed (expired is fine), for the `client_id` when both come;
 * `post_logout_redirect_uri` must be one the client registered, compared exactly (§3.1: no
 * trailing-slash, scheme, case or port variants); `state` is echoed; `ui_locales` and
 * `logout_hint` are accepted and ignored.
 */
@Injectable()
export class EndSessionService {
  constructor(
    private readonly idTokens: IdTokensService,
    private readonly clients: ClientsService,
    private readonly settings: OidcClientSettingsService,
  ) {}

  async validate(params: Record<string, unknown>): Promise<LogoutRequest> {
    const p: Record<string, string | undefined> = {};
    for (const [name, max] of Object.entries(MAX_LENGTH)) {
      const value = params[name];
      if (value === undefined || value === '') continue;
      if (typeof value !== 'string') throw new LogoutRequestError(`${name} must be given once, as text`);
      if (value.length > max) throw new LogoutRequestError(`${name} is too long (at most ${max} characters)`);
      p[name] = value;
    }
    let hint: LogoutRequest['hint'] = null;
    let clientId = p.client_id ?? null;
    if (p.id_token_hint !== undefined) {
      const claims = await this.idTokens.verifyHint(p.id_token_hint);
      if (!claims) throw new LogoutRequestError('id_token_hint is not an id_token Gatehouse issued');
      const audiences = [claims.aud].flat();
      const hintClient = typeof claims.azp === 'string' ? claims.azp : audiences[0];
      if (clientId !== null && !audiences.includes(clientId)) {
        throw new LogoutRequestError('id_token_hint was issued to another client than client_id');
      }
      clientId ??= hintClient;
      hint = { sub: claims.sub, sid: typeof claims.sid === 'string' ? claims.sid : null };
    }
    let clientName: string | null = null;
    let redirectUri: string | null = null;
    if (clientId !== null) {
      const client = await this.clients.findById(clientId);
      if (!client) throw new LogoutRequestError('client_id names no registered client');
      clientName = client.name;
      // A disabled client (or one whose owner is disabled) sends nobody anywhere: the person is
      // still signed out, on Gatehouse's own page, as for a request without a redirect URI.
      if (p.post_logout_redirect_uri !== undefined && (await this.clients.findActiveById(client.clientId))) {
        const { postLogoutRedirectUris } = await this.settings.forClient(client.clientId);
        if (!postLogoutRedirectUris.includes(p.post_logout_redirect_uri)) {
          throw new LogoutRequestError('post_logout_redirect_uri is not one of the client’s registered post-logout redirect URIs');
        }
        redirectUri = p.post_logout_redirect_uri;
      }
    } else if (p.post_logout_redirect_uri !== undefined) {
      throw new LogoutRequestError('post_logout_redirect_uri needs client_id or id_token_hint to say which client registered it');
    }
    return { clientId, clientName, redirectUri, state: p.state ?? null, hint };
  }

  /** Where to send the browser once signed out: the registered URI with `state` (§3), or null (Gatehouse's own page). */
  static returnUrl(r: Pick<LogoutRequest, 'redirectUri' | 'state'>): string | null {
    if (!r.redirectUri) return null;
    // Appended to the registered string as it is (a URL object would normalise it).
    if (r.state === null) return r.redirectUri;
    return `${r.redirectUri}${r.redirectUri.includes('?') ? '&' : '?'}${new URLSearchParams({ state: r.state }).toString()}`;
  }
}
