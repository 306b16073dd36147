import { Inject, Injectable } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import { AuditService } from '../audit/audit.service';
import { DEVICE_CODE_GRANT_TYPE } from '../clients/client-types';
import type { Client } from '../clients/client.entity';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { requestedScopeProblem } from '../oauth/client-scopes';
import { InvalidScopeError, UnauthorizedClientError } from '../auth/errors/oauth.errors';
import { DeviceAuthorizationsService } from './device-authorizations.service';
import type { DeviceAuthorizationResponse } from './dto/device-authorization.response';
import { formatUserCode } from './user-code';

/** The device authorization endpoint's logic (RFC 8628 §3.1–3.2), after client authentication. */
@Injectable()
export class DeviceAuthorizationRequestsService {
  constructor(
    private readonly authorizations: DeviceAuthorizationsService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Starts a device authorization for `client` with the requested scopes (the client's
   * registered scopes when omitted, RFC 6749 §3.3).
   * @throws UnauthorizedClientError the client did not register the device_code grant
   * @throws InvalidScopeError unknown scopes, or scopes the client may not request
   */
  async start(client: Client, requested: string[] | undefined, meta: RequestMeta): Promise<DeviceAuthorizationResponse> {
    if (!client.grantTypes.includes(DEVICE_CODE_GRANT_TYPE)) {
      throw new UnauthorizedClientError(`This client is not allowed the grant type ${DEVICE_CODE_GRANT_TYPE}`);
    }
    const scopes = this.checkedScopes(client, requested);
    const { row, deviceCode, userCode } = await this.authorizations.start(client.clientId, scopes);
    await this.audit.record({
      action: 'device_authorization.request',
      outcome: 'success',
      actor: { type: 'client', id: client.clientId },
      target: { type: 'client', id: client.clientId },
      meta,
      details: { deviceAuthorizationId: row.id, scopes },
    });
    const shown = formatUserCode(userCode);
    const verificationUri = `${this.config.issuer}/device`;
    return {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(shown)}`,
      expires_in: Math.round(this.config.deviceFlow.codeTtlMs / 1000),
      interval: row.intervalSeconds,
    };
  }

  private checkedScopes(client: Client, requested: string[] | undefined): string[] {
    const scopes = requested ?? client.allowedScopes;
    const problem = requestedScopeProblem(scopes, client, this.scopeRegistry);
    if (problem) throw new InvalidScopeError(problem);
    return scopes;
  }
}
