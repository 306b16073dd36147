import { Injectable } from '@nestjs/common';
import { AuditRecord, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { PrincipalUser } from '../auth/principal.factory';
import type { RequestMeta } from '../common/request-meta';
import { ClientSecretsService } from './client-secrets.service';
import type { Client } from './client.entity';
import type { UpdateClientDto } from './dto/update-client.dto';
import { ClientsService, RegisteredClient, RotatedSecret } from './clients.service';
import type { CreateClientDto } from './dto/create-client.dto';
import type { ClientView } from './dto/client.view';

/** Who performs a client action, as the audit log records it. */
export interface ClientActor {
  actor: NonNullable<AuditRecord['actor']>;
  credential?: AuditRecord['credential'];
  meta?: Partial<RequestMeta>;
}

/** A client secret that still works, as administrators see it (never the secret). */
export interface LiveSecretState {
  hint: string;
  createdAt: string;
  /** The end of its grace period after a rotation; null for the current secret. */
  expiresAt: string | null;
}

export function actorOf(p: Principal, meta: RequestMeta): ClientActor {
  return { actor: p.actor, credential: p.credential, meta };
}

/**
 * The client actions the owner's pages and API, the admin API and the CLI share, each with its
 * audit event, so no entry point can forget one.
 */
@Injectable()
export class ClientManagementService {
  constructor(
    private readonly clients: ClientsService,
    private readonly secrets: ClientSecretsService,
    private readonly audit: AuditService,
  ) {}

  async create(
    by: ClientActor,
    owner: PrincipalUser,
    dto: CreateClientDto,
    opts: { introspectionAllowed?: boolean } = {},
  ): Promise<RegisteredClient> {
    const registered = await this.clients.register(owner, dto, opts);
    const c = registered.client;
    await this.record(by, 'client.create', c, {
      name: c.name,
      type: c.type,
      ownerId: c.ownerId,
      grantTypes: c.grantTypes,
      scopes: c.allowedScopes,
    });
    return registered;
  }

  /** Edits name, redirect URIs, grant types and scopes (never client_id or type); audited with before and after. */
  async update(by: ClientActor, client: Client, owner: PrincipalUser, input: UpdateClientDto): Promise<Client> {
    const { before, after } = await this.clients.update(client, owner, input);
    await this.record(by, 'client.update', client, { before, after });
    return client;
  }

  async rotateSecret(by: ClientActor, client: Client, revokeOld: boolean): Promise<RotatedSecret> {
    const rotated = await this.clients.rotateSecret(client, revokeOld);
    await this.record(by, 'client.secret_rotate', client, { revokeOld, graceEndsAt: rotated.graceEndsAt?.toISOString() ?? null });
    return rotated;
  }

  async disable(by: ClientActor, client: Client): Promise<void> {
    await this.clients.setStatus(client, 'disabled');
    await this.record(by, 'client.disable', client);
  }

  async enable(by: ClientActor, client: Client): Promise<void> {
    await this.clients.setStatus(client, 'active');
    await this.record(by, 'client.enable', client);
  }

  async delete(by: ClientActor, client: Client): Promise<void> {
    await this.clients.delete(client);
    await this.record(by, 'client.delete', client, { name: client.name });
  }

  /** The secrets that still work, newest first: hint and dates only (a current one has no expiry). */
  async liveSecrets(client: Client): Promise<LiveSecretState[]> {
    const live = client.type === 'confidential' ? await this.secrets.listLive(client.clientId) : [];
    return live.map((s) => ({ hint: s.hint, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt?.toISOString() ?? null }));
  }

  async view(client: Client): Promise<ClientView> {
    const live = await this.liveSecrets(client);
    return {
      clientId: client.clientId,
      name: client.name,
      type: client.type,
      redirectUris: client.redirectUris,
      grantTypes: client.grantTypes,
      scopes: client.allowedScopes,
      ownerId: client.ownerId,
      status: client.status,
      introspectionAllowed: client.introspectionAllowed,
      createdAt: client.createdAt.toISOString(),
      secretHints: live.map((s) => s.hint),
    };
  }

  private record(by: ClientActor, action: string, client: Client, details?: Record<string, unknown>): Promise<void> {
    return this.audit.record({
      action,
      outcome: 'success',
      actor: by.actor,
      credential: by.credential,
      target: { type: 'client', id: client.clientId },
      meta: by.meta,
      details,
    });
  }
}
