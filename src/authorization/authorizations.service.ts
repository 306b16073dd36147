import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { ScopeRegistry } from '../auth/scope-registry';
import { AuditService } from '../audit/audit.service';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthorizationCodesService } from '../grants/authorization-codes.service';
import { CodeFlowExtensionRegistry } from '../grants/code-flow-extension.registry';
import { authorizationResponseUrl } from './authorization-response';
import { ConsentsService } from '../grants/consents.service';
import type { AuthorizationRequest } from './dto/authorization-request';
import { AuthorizationRedirectError } from './errors/authorization.errors';

/** What happens to a valid authorization request once the signed-in user is known. */
@Injectable()
export class AuthorizationsService {
  constructor(
    private readonly codes: AuthorizationCodesService,
    private readonly consents: ConsentsService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly audit: AuditService,
    private readonly extensions: CodeFlowExtensionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The requested scopes the user holds: the rest are dropped from the grant. None at all is a refusal. */
  grantableScopes(request: AuthorizationRequest, principal: Principal): string[] {
    const held = this.scopeRegistry.permissionsFor(principal.user?.roles ?? []);
    const grantable = request.scopes.filter((s) => held.has(s));
    if (grantable.length === 0) {
      throw new AuthorizationRedirectError(
        request.redirectUri,
        request.state,
        'access_denied',
        'You hold none of the permissions this application asks for',
      );
    }
    return grantable;
  }

  /** The user approved these scopes before: the consent page can be skipped. */
  alreadyApproved(request: AuthorizationRequest, principal: Principal, scopes: readonly string[]): Promise<boolean> {
    return this.consents.covers(principal.actor.id, request.client.clientId, scopes);
  }

  async recordApproval(request: AuthorizationRequest, principal: Principal, scopes: readonly string[], meta: RequestMeta): Promise<void> {
    await this.consents.remember(principal.actor.id, request.client.clientId, scopes);
    await this.audit.recordFor(principal, {
      action: 'consent.grant',
      outcome: 'success',
      target: { type: 'client', id: request.client.clientId },
      meta,
      details: { scopes: [...scopes] },
    });
  }

  /** Issues a code and returns the redirect carrying it with `state` and `iss` (RFC 6749 §4.1.2, RFC 9207). */
  async codeRedirect(request: AuthorizationRequest, principal: Principal, scopes: readonly string[]): Promise<string> {
    const code = await this.codes.issue(request, principal.actor.id, scopes);
    for (const [, extension] of this.extensions.entries()) await extension.onCodeIssued(code, request, principal, scopes);
    return authorizationResponseUrl(request.redirectUri, this.config.issuer, { code, state: request.state });
  }

  denial(request: AuthorizationRequest): AuthorizationRedirectError {
    return new AuthorizationRedirectError(request.redirectUri, request.state, 'access_denied', 'The user denied the request');
  }

  describe(scopes: readonly string[]): { name: string; description: string }[] {
    return scopes.map((name) => ({ name, description: this.scopeRegistry.describe(name) ?? name }));
  }
}
