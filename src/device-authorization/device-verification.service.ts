import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { ScopeRegistry } from '../auth/scope-registry';
import { AuditService } from '../audit/audit.service';
import type { Client } from '../clients/client.entity';
import { ClientsService } from '../clients/clients.service';
import type { RequestMeta } from '../common/request-meta';
import { CounterStoreUnavailableError } from '../rate-limits/attempt-counter.store';
import { ConsentsService } from '../grants/consents.service';
import type { DeviceAuthorization } from './device-authorization.entity';
import { DeviceAuthorizationsService } from './device-authorizations.service';
import { UserCodeAttemptLimiter } from './user-code-attempt-limiter';
import { formatUserCode, normaliseUserCode } from './user-code';

/** How long to wait when the shared counter store is down. */
const UNAVAILABLE_RETRY_SECONDS = 30;

/** A pending request the signed-in user may decide, with what they would grant. */
export interface VerifiedRequest {
  row: DeviceAuthorization;
  client: Client;
  /** `XXXX-XXXX`, as the device shows it. */
  userCode: string;
  /** Requested scopes the user holds: what approval grants. */
  grantable: string[];
  /** Requested scopes the user does not hold: never granted. */
  dropped: string[];
}

/** Why an entered code leads nowhere; the page says so in words. */
export type CodeRejection =
  | { reason: 'throttled'; retryAfterSeconds: number }
  | { reason: 'unavailable'; retryAfterSeconds: number }
  | { reason: 'malformed' }
  | { reason: 'unknown' };

/** `gone`: decided meanwhile (another tab) or expired while the page was open. */
export type Decision = 'approved' | 'denied' | 'nothing_grantable' | 'gone';

/**
 * The verification side (RFC 8628 §3.3): a signed-in user enters a user code, sees who asks
 * for what, and approves or denies. Every entry counts against the guessing limit (§5.1).
 */
@Injectable()
export class DeviceVerificationService {
  constructor(
    private readonly authorizations: DeviceAuthorizationsService,
    private readonly limiter: UserCodeAttemptLimiter,
    private readonly clients: ClientsService,
    private readonly consents: ConsentsService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly audit: AuditService,
  ) {}

  /** Looks the entered code up, counting the entry. A wrong code is audited (guessing shows up in the log). */
  async verify(principal: Principal, entered: string, meta: RequestMeta): Promise<VerifiedRequest | CodeRejection> {
    let wait: number;
    try {
      wait = await this.limiter.attempt(principal.credential.id, meta.ip);
    } catch (err) {
      // The shared counters (Redis) are down: fail closed, as sign-in does; codes cannot be guessed meanwhile.
      if (err instanceof CounterStoreUnavailableError) return { reason: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS };
      throw err;
    }
    if (wait > 0) return { reason: 'throttled', retryAfterSeconds: wait };
    const code = normaliseUserCode(entered);
    if (code === null) return { reason: 'malformed' };
    const row = await this.authorizations.findPendingByUserCode(code);
    const client = row ? await this.clients.findActiveById(row.clientId) : null;
    if (!row || !client) {
      await this.audit.recordFor(principal, { action: 'device_authorization.user_code_rejected', outcome: 'denied', meta });
      return { reason: 'unknown' };
    }
    const held = this.scopeRegistry.permissionsFor(principal.user?.roles ?? []);
    return {
      row,
      client,
      userCode: formatUserCode(code),
      grantable: row.scopes.filter((s) => held.has(s)),
      dropped: row.scopes.filter((s) => !held.has(s)),
    };
  }

  /**
   * Applies the user's decision. Approval remembers the consent (so the app is listed on the
   * authorized-apps page, and revoking it there stops the device) and grants only scopes the
   * user holds; with none to grant, it is a denial.
   */
  async decide(principal: Principal, request: VerifiedRequest, decision: 'approve' | 'deny', meta: RequestMeta): Promise<Decision> {
    const userId = principal.actor.id;
    const { row, client, grantable } = request;
    const approve = decision === 'approve' && grantable.length > 0;
    if (approve) await this.consents.remember(userId, client.clientId, grantable);
    const changed = approve ? await this.authorizations.approve(row.id, userId, grantable) : await this.authorizations.deny(row.id, userId);
    if (!changed) return 'gone';
    await this.audit.recordFor(principal, {
      action: approve ? 'device_authorization.approve' : 'device_authorization.deny',
      outcome: 'success',
      target: { type: 'client', id: client.clientId },
      meta,
      details: { deviceAuthorizationId: row.id, scopes: approve ? grantable : [], requested: row.scopes },
    });
    if (approve) return 'approved';
    return decision === 'approve' ? 'nothing_grantable' : 'denied';
  }

  describe(scopes: readonly string[]): { name: string; description: string }[] {
    return scopes.map((name) => ({ name, description: this.scopeRegistry.describe(name) ?? name }));
  }
}
