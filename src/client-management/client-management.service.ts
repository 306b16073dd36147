import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditRecord, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { PrincipalUser } from '../auth/principal.factory';
import type { Page } from '../common/keyset';
import type { RequestMeta } from '../common/request-meta';
import { UsersService } from '../users/users.service';
import { ClientSecretsService } from '../clients/client-secrets.service';
import type { Client } from '../clients/client.entity';
import type { UpdateClientDto } from './dto/update-client.dto';
import { ClientsService, RegisteredClient, RotatedSecret } from '../clients/clients.service';
import type { CreateClientDto } from '../clients/dto/create-client.dto';
import type { ClientView } from './dto/client.view';
import type { ClientPageView } from './dto/client-page.view';
import type { ClientSecretView, CreatedClientView } from './dto/client-secret.view';

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
 * Which clients an actor may manage, and whose held scopes bound a client's scopes: the account
 * API's (the developer's own clients) and the admin API's (every client, bounded by its owner).
 */
export interface ClientReach {
  /** The client by client_id; NotFoundException when it is out of reach. */
  find(clientId: string): Promise<Client>;
  /** The user whose scopes bound the client's; NotFoundException when the owner is gone. */
  ownerOf(client: Client): Promise<PrincipalUser>;
}

/**
 * The client actions the owner's pages and API, the admin API and pages and the CLI share, each
 * with its audit event, so no entry point can forget one. The account and admin APIs differ only
 * in their ClientReach (who may act on which clients) and what they add (admin: token settings).
 */
@Injectable()
export class ClientManagementService {
  constructor(
    private readonly clients: ClientsService,
    private readonly secrets: ClientSecretsService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  /** The developer's own clients (account API and pages): others' are 404. */
  ownedBy(p: Principal): ClientReach {
    return { find: (clientId) => this.clients.getOwned(p.actor.id, clientId), ownerOf: async () => p.user! };
  }

  /** Every client (admin API), each bounded by its owner's scopes. */
  everyClient(): ClientReach {
    return {
      find: (clientId) => this.clients.get(clientId),
      ownerOf: async (client) => {
        const owner = await this.users.findById(client.ownerId);
        if (!owner) throw new NotFoundException('The owner of this client no longer exists');
        return owner;
      },
    };
  }

  /** A page of clients (every one, or `ownerId`'s) as API views. */
  async listViews(page: Page<Client>): Promise<ClientPageView> {
    return { items: await Promise.all(page.items.map((c) => this.view(c))), nextCursor: page.nextCursor };
  }

  /** A new client's view; a confidential client's secret is in it and nowhere else, ever. */
  async createdView({ client, secret }: RegisteredClient): Promise<CreatedClientView> {
    return { ...(await this.view(client)), ...(secret ? { clientSecret: secret } : {}) };
  }

  /** Edits a client within `reach` (see update), as its view. */
  async updateIn(reach: ClientReach, by: ClientActor, clientId: string, input: UpdateClientDto): Promise<ClientView> {
    const client = await reach.find(clientId);
    return this.view(await this.update(by, client, await reach.ownerOf(client), input));
  }

  /** Rotates the secret of a client within `reach`: the new secret, shown once, and when the old ones stop working. */
  async rotateSecretIn(reach: ClientReach, by: ClientActor, clientId: string, revokeOld: boolean): Promise<ClientSecretView> {
    const { secret, graceEndsAt } = await this.rotateSecret(by, await reach.find(clientId), revokeOld);
    return { clientId, clientSecret: secret, previousSecretsExpireAt: graceEndsAt?.toISOString() ?? null };
  }

  /** Disables or enables a client within `reach`, as its view. */
  async setStatusIn(reach: ClientReach, by: ClientActor, clientId: string, status: 'disabled' | 'active'): Promise<ClientView> {
    const client = await reach.find(clientId);
    await (status === 'disabled' ? this.disable(by, client) : this.enable(by, client));
    return this.view(client);
  }

  async deleteIn(reach: ClientReach, by: ClientActor, clientId: string): Promise<void> {
    await this.delete(by, await reach.find(clientId));
  }

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
