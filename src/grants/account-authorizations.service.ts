import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { ScopeRegistry } from '../auth/scope-registry';
import { AuditService } from '../audit/audit.service';
import { ClientsService } from '../clients/clients.service';
import type { RequestMeta } from '../common/request-meta';
import { AuthorizationCodesService } from './authorization-codes.service';
import { ConsentsService } from './consents.service';
import { AuthorizationView } from './dto/authorization.view';
import { GrantsService } from './grants.service';

/** The apps a user has authorized, and taking an authorization back. */
@Injectable()
export class AccountAuthorizationsService {
  constructor(
    private readonly consents: ConsentsService,
    private readonly grants: GrantsService,
    private readonly codes: AuthorizationCodesService,
    private readonly clients: ClientsService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal): Promise<AuthorizationView[]> {
    const held = this.scopeRegistry.permissionsFor(principal.user?.roles ?? []);
    const consents = await this.consents.listForUser(principal.actor.id);
    const views: AuthorizationView[] = [];
    for (const c of consents) {
      const client = await this.clients.findById(c.clientId);
      if (!client) continue;
      views.push({
        clientId: c.clientId,
        clientName: client.name,
        grantedScopes: c.scopes.map((name) => ({ name, description: this.scopeRegistry.describe(name) ?? name })),
        effectiveScopes: c.scopes.filter((s) => held.has(s)),
        authorizedAt: c.createdAt.toISOString(),
        updatedAt: c.updatedAt.toISOString(),
      });
    }
    return views;
  }

  /**
   * Revokes the consent, every token family (refresh and access tokens) and every unspent code
   * of this client for this user, at once. False when there was nothing to revoke.
   */
  async revoke(principal: Principal, clientId: string, meta: RequestMeta): Promise<boolean> {
    const userId = principal.actor.id;
    const hadConsent = await this.consents.forget(userId, clientId);
    await this.codes.voidPending(userId, clientId);
    const families = await this.grants.revokeAllFor(userId, clientId, 'user_revoked');
    if (!hadConsent && families === 0) return false;
    if (hadConsent) {
      await this.audit.recordFor(principal, {
        action: 'consent.revoke',
        outcome: 'success',
        target: { type: 'client', id: clientId },
        meta,
      });
    }
    await this.audit.recordFor(principal, {
      action: 'authorization.revoke',
      outcome: 'success',
      target: { type: 'client', id: clientId },
      meta,
      details: { familiesRevoked: families },
    });
    return true;
  }
}
