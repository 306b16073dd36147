import { ConflictException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { AuditService } from '../audit/audit.service';
import { isRole, Role } from '../auth/roles';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ATTEMPT_COUNTER_STORE, AttemptCounterStore } from '../rate-limits/attempt-counter.store';
import type { Session } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { SignInStepRegistry } from '../sessions/sign-in-steps';
import type { User } from '../users/user.entity';
import { normalizeEmail, UsersService } from '../users/users.service';
import { ExternalIdentitiesService } from '../sso-connections/external-identities.service';
import { SsoConnection } from '../sso-connections/sso-connection.entity';
import { emailDomain, SsoConnectionsService } from '../sso-connections/sso-connections.service';
import { SsoSignInError } from '../sso-connections/sso-sign-in.error';
import type { PendingSsoSignIn } from './sso-state.cookie';
import { UpstreamOidcClient } from '../sso-connections/upstream-oidc.client';

/** Longer than any real authorization code (RFC 6749 leaves the size open; IdPs issue < 1 KB). */
export const MAX_CODE_LENGTH = 2048;

export interface SsoSignInResult {
  user: User;
  session: Session;
  secret: string;
  /** How the account was found: matched by iss + sub, linked by trusted email, created just in time, or linked from the account page. */
  outcome: 'matched' | 'linked' | 'created' | 'linked_by_user';
  /** The upstream `amr` (Core §2), recorded for the MFA rule. */
  amr: string[];
  /** The page of the step the session must pass first (second factor, enrolment), or null: a full session. */
  stepPath: string | null;
}

/**
 * Starts and finishes a sign-in through an upstream IdP. Accounts: an identity is matched by
 * `iss` + `sub` only; a first sign-in links to an existing account with the same email only when
 * the connection trusts email AND the IdP says `email_verified: true`; otherwise an account is
 * created just in time (no local password) unless the email is taken, which is refused with
 * "sign in locally, then link". Every refusal is audited with its reason.
 */
@Injectable()
export class SsoSignInService {
  constructor(
    private readonly connections: SsoConnectionsService,
    private readonly identities: ExternalIdentitiesService,
    private readonly upstream: UpstreamOidcClient,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly steps: SignInStepRegistry,
    private readonly audit: AuditService,
    @Inject(ATTEMPT_COUNTER_STORE) private readonly counters: AttemptCounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The enabled connection at `slug`. @throws SsoSignInError 404 unknown, 403 disabled */
  async enabledConnection(slug: string): Promise<SsoConnection> {
    const c = await this.connections.findBySlug(slug);
    if (!c) throw new SsoSignInError('unknown_connection', HttpStatus.NOT_FOUND, 'There is no single sign-on connection at this address.');
    if (!c.enabled) {
      throw new SsoSignInError('connection_disabled', HttpStatus.FORBIDDEN, `Sign-in with ${c.name} is turned off. Ask an administrator.`);
    }
    return c;
  }

  /** The IdP URL to send the browser to, and what the sealed cookie must carry back. */
  async start(
    c: SsoConnection,
    opts: { next: string; loginHint?: string; linkUserId?: string },
  ): Promise<{ url: string; pending: PendingSsoSignIn }> {
    const pending: PendingSsoSignIn = {
      connectionId: c.id,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      next: opts.next,
      ...(opts.linkUserId ? { linkUserId: opts.linkUserId } : {}),
    };
    const url = await this.upstream.authorizationUrl(await this.connections.clientSettings(c), {
      redirectUri: this.connections.redirectUri(c),
      scope: c.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      codeVerifier: pending.codeVerifier,
      loginHint: opts.loginHint,
    });
    return { url, pending };
  }

  /**
   * Checks the callback against the browser's pending sign-in, redeems the code, finds or
   * creates the account and starts a session.
   * @throws SsoSignInError with the page's status and the audit reason
   */
  async finish(
    c: SsoConnection,
    pending: PendingSsoSignIn | null,
    query: Record<string, unknown>,
    meta: RequestMeta,
  ): Promise<SsoSignInResult> {
    const started = 'Start the sign-in again from the sign-in page.';
    if (!pending) {
      throw new SsoSignInError(
        'state_missing',
        HttpStatus.BAD_REQUEST,
        `This sign-in expired or was started in another browser. ${started}`,
      );
    }
    if (pending.connectionId !== c.id || typeof query.state !== 'string' || query.state !== pending.state) {
      throw new SsoSignInError(
        'state_mismatch',
        HttpStatus.BAD_REQUEST,
        `This sign-in response does not belong to this browser. ${started}`,
      );
    }
    if (typeof query.code === 'string' && query.code.length > MAX_CODE_LENGTH) {
      throw new SsoSignInError('bad_callback', HttpStatus.BAD_REQUEST, `The sign-in response is malformed. ${started}`, 'code_too_long');
    }
    for (const v of Object.values(query)) {
      if (typeof v !== 'string')
        throw new SsoSignInError(
          'bad_callback',
          HttpStatus.BAD_REQUEST,
          `The sign-in response is malformed. ${started}`,
          'repeated_parameter',
        );
    }
    await this.useStateOnce(pending.state);

    const callback = new URL(this.connections.redirectUri(c));
    for (const [k, v] of Object.entries(query)) callback.searchParams.set(k, v as string);
    const { claims } = await this.upstream.redeem(
      await this.connections.clientSettings(c),
      callback,
      { state: pending.state, nonce: pending.nonce, codeVerifier: pending.codeVerifier },
      c.emailClaim,
    );
    const subject = String(claims.sub);
    const issuer = String(claims.iss);
    const rawEmail = claims[c.emailClaim];
    const email = typeof rawEmail === 'string' && /^[^\s@]{1,64}@[^\s@]{1,253}$/.test(rawEmail.trim()) ? normalizeEmail(rawEmail) : null;
    const emailVerified = claims.email_verified === true;
    const amr = Array.isArray(claims.amr)
      ? claims.amr.filter((a): a is string => typeof a === 'string' && /^[\w.:-]{1,32}$/.test(a)).slice(0, 10)
      : [];
    const ctx = { connection: c.slug, subject };

    if (email && !this.domainAllowed(c, email)) {
      throw new SsoSignInError(
        'email_domain_not_allowed',
        HttpStatus.FORBIDDEN,
        `${emailDomain(email)} accounts cannot sign in with ${c.name}.`,
        emailDomain(email),
      );
    }

    let user: User | null;
    let outcome: SsoSignInResult['outcome'];
    const identity = await this.identities.findBySubject(issuer, subject);
    if (pending.linkUserId) {
      if (identity && identity.userId !== pending.linkUserId) {
        throw new SsoSignInError('identity_taken', HttpStatus.CONFLICT, `This ${c.name} account is already linked to another account.`);
      }
      user = await this.users.findById(pending.linkUserId);
      if (user && !identity) {
        await this.linkOrConflict(c, user.id, subject, email);
        await this.recordFor(user.id, 'sso.identity_link', meta, { ...ctx, by: 'user' });
      }
      outcome = 'linked_by_user';
    } else if (identity) {
      user = await this.users.findById(identity.userId);
      if (identity.email !== email) {
        // Matching never uses the email; a change is recorded, the account stays the same.
        await this.audit.record({
          action: 'sso.email_changed',
          outcome: 'success',
          target: { type: 'user', id: identity.userId },
          meta,
          details: { ...ctx, before: identity.email, after: email },
        });
      }
      await this.identities.touch(identity, email);
      outcome = 'matched';
    } else {
      if (!email) {
        throw new SsoSignInError(
          'no_email',
          HttpStatus.BAD_REQUEST,
          `${c.name} did not tell us your email address (claim ${c.emailClaim}), so no account can be set up.`,
        );
      }
      const existing = await this.users.findByEmail(email);
      if (existing) {
        if (!c.trustEmail || !emailVerified || existing.kind !== 'person') {
          throw new SsoSignInError(
            'account_exists',
            HttpStatus.CONFLICT,
            `An account with ${email} already exists. Sign in with its password, then link ${c.name} from your account page.`,
            !c.trustEmail ? 'email_not_trusted' : !emailVerified ? 'email_not_verified' : 'not_a_person',
          );
        }
        if (existing.status !== 'active') throw this.userDisabled();
        await this.linkOrConflict(c, existing.id, subject, email);
        await this.recordFor(existing.id, 'sso.identity_link', meta, { ...ctx, by: 'trusted_email' });
        user = existing;
        outcome = 'linked';
      } else {
        user = await this.createJit(c, email, claims[c.nameClaim]);
        await this.linkOrConflict(c, user.id, subject, email);
        await this.recordFor(user.id, 'sso.jit_create', meta, { ...ctx, email, roles: user.roles });
        outcome = 'created';
      }
    }
    if (!user || user.status !== 'active') throw this.userDisabled();
    if (user.kind !== 'person') throw new SsoSignInError('not_a_person', HttpStatus.FORBIDDEN, 'This account does not sign in.');

    // The upstream methods (RFC 8176 names) are the session's; its `mfa` counts as a second
    // factor only where the connection says so. Then the IdP did the second factor and no local
    // step follows; otherwise the sign-in continues as after a password (docs/sso.md "MFA"): a
    // user with a local factor is sent to the second step, one whom the MFA policy covers and who
    // has none to enrolment. Linking from the account page starts from a full session: no step.
    const sessionAmr = c.upstreamMfa ? amr : amr.filter((m) => m !== 'mfa');
    const step = sessionAmr.includes('mfa') || outcome === 'linked_by_user' ? null : await this.steps.requiredAfterPassword(user);
    const { session, secret } = await this.sessions.start(user, meta, { amr: sessionAmr, idp: issuer }, step ?? undefined);
    await this.audit.record({
      action: 'auth.sso_login',
      outcome: 'success',
      actor: { type: 'user', id: user.id },
      credential: { kind: 'session', id: session.id },
      meta,
      details: { ...ctx, account: outcome, amr, ...(step ? { pendingStep: step.step } : {}) },
    });
    return { user, session, secret, outcome, amr, stepPath: step ? this.steps.pathOf(step.step) : null };
  }

  /** Records a refused sign-in (never with a secret: reasons, slugs and upstream codes only). */
  async recordRefusal(slug: string, err: SsoSignInError, meta: RequestMeta): Promise<void> {
    await this.audit.record({
      action: 'auth.sso_login',
      outcome: 'denied',
      meta,
      details: { connection: slug.slice(0, 64), reason: err.reason, ...(err.detail ? { detail: err.detail.slice(0, 100) } : {}) },
    });
  }

  /** An event the user did (and that concerns them): on their own security events page too. */
  private recordFor(userId: string, action: string, meta: RequestMeta, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({
      action,
      outcome: 'success',
      actor: { type: 'user', id: userId },
      target: { type: 'user', id: userId },
      meta,
      details,
    });
  }

  private domainAllowed(c: SsoConnection, email: string): boolean {
    if (c.allowedDomains.length === 0 && c.requiredDomains.length === 0) return true;
    const d = emailDomain(email);
    return c.allowedDomains.includes(d) || c.requiredDomains.includes(d);
  }

  /** A callback's state is usable once, on every instance (the shared counter store). */
  private async useStateOnce(state: string): Promise<void> {
    const key = `sso-state:${createHash('sha256').update(state).digest('base64url')}`;
    let count: number;
    try {
      [{ count }] = await this.counters.hit([key], this.config.sso.stateTtlMs, Date.now());
    } catch {
      throw new SsoSignInError(
        'idp_unreachable',
        HttpStatus.SERVICE_UNAVAILABLE,
        'Sign-in is temporarily unavailable. Try again shortly.',
        'counter_store',
      );
    }
    if (count > 1) {
      throw new SsoSignInError(
        'state_replayed',
        HttpStatus.BAD_REQUEST,
        'This sign-in response was already used. Start the sign-in again from the sign-in page.',
      );
    }
  }

  private async createJit(c: SsoConnection, email: string, name: unknown): Promise<User> {
    const roles = c.defaultRoles.filter(isRole) as Role[];
    try {
      return await this.users.createExternal({
        email,
        displayName: typeof name === 'string' && name.trim() ? name : email.split('@')[0],
        roles: roles.length > 0 ? roles : ['user'],
      });
    } catch (err) {
      if (err instanceof ConflictException) {
        throw new SsoSignInError(
          'account_exists',
          HttpStatus.CONFLICT,
          `An account with ${email} already exists. Sign in with its password, then link ${c.name} from your account page.`,
          'race',
        );
      }
      throw err;
    }
  }

  private async linkOrConflict(c: SsoConnection, userId: string, subject: string, email: string | null): Promise<void> {
    try {
      await this.identities.link(c, userId, subject, email);
    } catch (err) {
      if (err instanceof ConflictException)
        throw new SsoSignInError('identity_taken', HttpStatus.CONFLICT, 'This sign-in was completed twice at once. Start again.');
      throw err;
    }
  }

  private userDisabled(): SsoSignInError {
    return new SsoSignInError('user_disabled', HttpStatus.FORBIDDEN, 'This account is disabled. Ask an administrator.');
  }
}
