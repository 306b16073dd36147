import { Inject, Injectable } from '@nestjs/common';
import type { Page, PageRequest } from '../common/keyset';
import { AuditService } from '../audit/audit.service';
import { ClientsService } from '../clients/clients.service';
import type { Principal } from '../auth/principal';
import { ScopeRegistry } from '../auth/scope-registry';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { issuedBeforeEpoch } from '../users/credential-epoch';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ADMIN_SCOPE } from '../users/users.scopes';
import { ImpersonationToken } from './impersonation-token.entity';
import { ImpersonationTokensService, LiveImpersonationToken } from './impersonation-tokens.service';
import { IMPERSONATE_SCOPE } from './impersonation.scopes';

/** Why an impersonation is refused. The token endpoint renders it as RFC 8693 §2.2.2 errors, pages as a 400. */
export class ImpersonationRefused extends Error {
  constructor(
    message: string,
    /** `invalid_scope` when only the scope is wrong; `invalid_request` otherwise (RFC 8693 §2.2.2). */
    readonly code: 'invalid_request' | 'invalid_scope' = 'invalid_request',
  ) {
    super(message);
  }
}

export interface StartImpersonation {
  /** The person acting, and the credential they proved it with (audited as theirs). */
  actor: User;
  actorCredential: { kind: string; id: string };
  /** Whether that credential carries `impersonate` (a session carries all the user holds). */
  actorCredentialScopes: ReadonlySet<string>;
  subjectUserId: string;
  /** Narrows; omitted = everything the subject holds (∩ `allowedScopes`). */
  scopes?: readonly string[];
  /** A client's allowed scopes, when a client asks at the token endpoint. */
  allowedScopes?: readonly string[];
  clientId: string | null;
  reason: string | null;
  meta: Partial<RequestMeta>;
}

/**
 * Support impersonation: an administrator holding `impersonate` acts as a person for a short
 * time with a token carrying `act: { sub: <admin> }` (RFC 8693 §4.1). Nobody may impersonate an
 * admin, themselves, a bot, or a disabled account. Starting one is audited as
 * `impersonation.start` with the user as target, which their security events show.
 */
@Injectable()
export class ImpersonationService {
  constructor(
    private readonly tokens: ImpersonationTokensService,
    private readonly users: UsersService,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: ClientsService,
  ) {}

  get ttlSeconds(): number {
    return this.config.impersonation.ttlSeconds;
  }

  /** Issues the token after every check; throws ImpersonationRefused naming the reason. */
  async start(input: StartImpersonation): Promise<{ token: string; row: ImpersonationToken; expiresIn: number }> {
    const { actor } = input;
    const actorHolds = this.scopes.permissionsFor(actor.roles);
    if (
      actor.kind !== 'person' ||
      actor.status !== 'active' ||
      !actorHolds.has(IMPERSONATE_SCOPE) ||
      !input.actorCredentialScopes.has(IMPERSONATE_SCOPE)
    ) {
      throw new ImpersonationRefused('The actor_token does not carry the impersonate permission of an active person');
    }
    const subject = /^[0-9a-f-]{36}$/i.test(input.subjectUserId) ? await this.users.findById(input.subjectUserId) : null;
    if (!subject) throw new ImpersonationRefused('No such user');
    if (subject.id === actor.id) throw new ImpersonationRefused('You cannot impersonate yourself');
    if (subject.kind !== 'person') throw new ImpersonationRefused('Bots are not impersonated: they have their own tokens');
    if (subject.status !== 'active') throw new ImpersonationRefused('The user is disabled');
    const subjectHolds = this.scopes.permissionsFor(subject.roles);
    if (subjectHolds.has(ADMIN_SCOPE)) throw new ImpersonationRefused('Administrators cannot be impersonated');
    const scopes = this.grantedScopes(subjectHolds, input.scopes, input.allowedScopes);
    const expiresIn = this.ttlSeconds;
    const { token, row } = await this.tokens.issue({
      subjectUserId: subject.id,
      actorUserId: actor.id,
      clientId: input.clientId,
      scopes,
      reason: input.reason,
      ttlSeconds: expiresIn,
    });
    await this.audit.record({
      action: 'impersonation.start',
      outcome: 'success',
      actor: { type: 'user', id: actor.id },
      credential: input.actorCredential,
      target: { type: 'user', id: subject.id },
      meta: input.meta,
      details: {
        act: { sub: actor.id },
        actorName: actor.displayName,
        tokenId: row.id,
        reason: input.reason,
        scopes,
        clientId: input.clientId,
        expiresAt: row.expiresAt.toISOString(),
      },
    });
    return { token, row, expiresIn };
  }

  /**
   * The bearer check: the token is live, the subject is an active person, and the actor is still
   * an active person holding `impersonate` (losing it ends their impersonations at once), and
   * the client that exchanged it (RFC 8693), if any, is active and was not disabled since
   * (issue 22 §1, "disable/delete client": its credential epoch).
   */
  async authenticate(plaintext: string): Promise<LiveImpersonationToken | null> {
    const row = await this.tokens.findLive(plaintext);
    if (!row || row.subject.status !== 'active' || row.subject.kind !== 'person') return null;
    // Issued before the subject's or the actor's credential epoch (issue 22 §1): ended.
    if (issuedBeforeEpoch(row.subject, row.createdAt) || issuedBeforeEpoch(row.actor, row.createdAt)) return null;
    if (row.actor.status !== 'active' || !this.scopes.permissionsFor(row.actor.roles).has(IMPERSONATE_SCOPE)) return null;
    if (row.clientId) {
      const client = await this.clients.findActiveById(row.clientId);
      if (!client || issuedBeforeEpoch(client, row.createdAt)) return null;
    }
    return row;
  }

  listLive(page: PageRequest): Promise<Page<ImpersonationToken>> {
    return this.tokens.listLive(page);
  }

  /** Any admin may end any impersonation. 404-worthy false when unknown or already ended. */
  async revoke(by: Principal, id: string, meta: RequestMeta): Promise<boolean> {
    if (!(await this.tokens.revoke(id))) return false;
    await this.audit.recordFor(by, {
      action: 'impersonation.revoke',
      outcome: 'success',
      target: { type: 'impersonation_token', id },
      meta,
    });
    return true;
  }

  private grantedScopes(
    subjectHolds: Set<string>,
    requested: readonly string[] | undefined,
    allowed: readonly string[] | undefined,
  ): string[] {
    const available = [...subjectHolds].filter((s) => !allowed || allowed.includes(s));
    if (requested === undefined) return available.sort();
    const refused = requested.filter((s) => !available.includes(s));
    if (refused.length > 0)
      throw new ImpersonationRefused(`Scope not available for this impersonation: ${refused.join(' ')}`, 'invalid_scope');
    return [...new Set(requested)].sort();
  }
}
