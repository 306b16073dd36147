import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OutboxService } from '../outbox/outbox.service';
import { SessionsService, type EndedSession } from '../sessions/sessions.service';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { OidcClientSettingsService } from '../oidc/oidc-client-settings.service';
import { OidcSignInsService } from '../oidc/oidc-sign-ins.service';
import { subjectOf } from '../oidc/subject-identifiers';

export const BACKCHANNEL_LOGOUT_TOPIC = 'oidc.backchannel_logout';
/** Back-Channel Logout §2.4: the `events` member that makes a JWT a logout token. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** A logout token is good for this long (seconds): §2.4 recommends a short life. */
const LOGOUT_TOKEN_TTL_SECONDS = 120;
/** How long one POST to a client may take before it counts as failed (and is retried). */
export const BACKCHANNEL_TIMEOUT_MS = 5000;
/** A notice not delivered by then is dropped: the client's own session has long expired or been noticed. */
const GIVE_UP_AFTER_MS = 24 * 3600_000;

/** One notice: this client got an id_token in this session, which has ended. */
interface LogoutNotice {
  clientId: string;
  sessionId: string;
  userId: string;
}

/**
 * OpenID Connect Back-Channel Logout 1.0. When a session ends (SessionsService tells us: the
 * user's sign-out, RP-initiated logout, "sign out other sessions", a password change, an admin
 * ending a session, revoking everything or disabling the user), every client that got an
 * id_token in it and registered a `backchannel_logout_uri` is sent a logout token (§2.4) by a
 * POST (§2.5), through the outbox: out of the request that ended the session, retried with
 * backoff when the client is down, each attempt bounded by a timeout, each outcome audited as
 * `oidc.backchannel_logout`.
 */
@Injectable()
export class BackchannelLogoutService {
  private readonly logger = new Logger('BackchannelLogout');

  constructor(
    sessions: SessionsService,
    private readonly outbox: OutboxService,
    private readonly signIns: OidcSignInsService,
    private readonly settings: OidcClientSettingsService,
    private readonly keys: SigningKeysService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    sessions.onEnded((ended) => this.sessionsEnded(ended));
    outbox.register(BACKCHANNEL_LOGOUT_TOPIC, (payload) => this.deliver(payload as LogoutNotice));
  }

  /** One outbox message per (session, client) that got an id_token and listens (§2.7). */
  private async sessionsEnded(ended: readonly EndedSession[]): Promise<void> {
    const rows = await this.signIns.issuedInSessions(ended.map((s) => s.id));
    const pairs = new Map(
      rows.map((r) => [`${r.sessionId} ${r.clientId}`, { clientId: r.clientId, sessionId: r.sessionId, userId: r.userId }]),
    );
    if (pairs.size === 0) return;
    const settings = await this.settings.forClients([...new Set(rows.map((r) => r.clientId))]);
    const notAfter = new Date(Date.now() + GIVE_UP_AFTER_MS);
    for (const notice of pairs.values()) {
      if (!settings.get(notice.clientId)?.backchannelLogoutUri) continue;
      await this.outbox.enqueue(BACKCHANNEL_LOGOUT_TOPIC, notice satisfies LogoutNotice, { notAfter });
    }
  }

  /** Signs a fresh logout token and POSTs it; throws (→ retried) unless the client answers 2xx. */
  private async deliver(notice: LogoutNotice): Promise<void> {
    const { backchannelLogoutUri: uri, idTokenAlg } = await this.settings.forClient(notice.clientId);
    // The client no longer listens (its URI was removed, or it was deleted): nothing to tell.
    if (!uri) return;
    const token = await this.logoutToken(notice, idTokenAlg);
    let problem: string | null = null;
    try {
      const res = await fetch(uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' },
        body: new URLSearchParams({ logout_token: token }).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(BACKCHANNEL_TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) problem = `HTTP ${res.status}`;
    } catch (err) {
      problem = (err as Error).name === 'TimeoutError' ? `no answer within ${BACKCHANNEL_TIMEOUT_MS} ms` : (err as Error).message;
    }
    await this.audit.record({
      action: 'oidc.backchannel_logout',
      outcome: problem ? 'failed' : 'success',
      target: { type: 'client', id: notice.clientId },
      details: { sessionId: notice.sessionId, userId: notice.userId, ...(problem ? { error: problem } : {}) },
    });
    if (problem) {
      this.logger.warn(`Back-channel logout to ${notice.clientId} failed: ${problem}`);
      throw new Error(`back-channel logout to ${notice.clientId}: ${problem}`);
    }
  }

  /** §2.4: iss, aud, iat, exp, jti, sub and sid, events; never a nonce; `typ: logout+jwt` (§2.4, RFC 8725 §3.11). */
  private async logoutToken(notice: LogoutNotice, alg: 'ES256' | 'RS256'): Promise<string> {
    const { kid, key } = await this.keys.signingKey(alg);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sid: notice.sessionId, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })
      .setProtectedHeader({ alg, kid, typ: 'logout+jwt' })
      .setIssuer(this.config.issuer)
      .setSubject(subjectOf({ id: notice.userId }))
      .setAudience(notice.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + LOGOUT_TOKEN_TTL_SECONDS)
      .setJti(randomUUID())
      .sign(key);
  }
}
