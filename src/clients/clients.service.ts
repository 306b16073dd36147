import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { CredentialCache } from '../auth/credential-cache';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import type { PrincipalUser } from '../auth/principal.factory';
import { ScopeRegistry } from '../auth/scope-registry';
import { keysetPage, type Page, type PageRequest } from '../common/keyset';
import { runTransaction } from '../database/transactions';
import { ClientSecretsService } from './client-secrets.service';
import {
  type AccessTokenFormat,
  ClientType,
  DEVICE_CODE_GRANT_TYPE,
  GrantType,
  type JwtSigningAlg,
  TOKEN_EXCHANGE_GRANT,
} from './client-types';
import { Client } from './client.entity';
import type { CreateClientDto } from './dto/create-client.dto';
import { redirectUriProblem } from './redirect-uri';

export interface RegisteredClient {
  client: Client;
  /** Plaintext secret of a confidential client: returned once, never stored. */
  secret?: string;
}

export interface RotatedSecret {
  secret: string;
  graceEndsAt: Date | null;
}

/** Client registrations: validation, ownership, status. Secrets are ClientSecretsService's. */
@Injectable()
export class ClientsService {
  constructor(
    @InjectRepository(Client) private readonly clients: Repository<Client>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: ClientSecretsService,
    private readonly scopes: ScopeRegistry,
    private readonly cache: CredentialCache,
  ) {}

  /**
   * Registers a client for `owner`. Its scopes must be registered scopes the owner holds, so a
   * client can never act with more than its owner could. The client and its first secret are
   * written in one transaction.
   */
  async register(owner: PrincipalUser, input: CreateClientDto, opts: { introspectionAllowed?: boolean } = {}): Promise<RegisteredClient> {
    const { redirectUris, scopes, grantTypes } = this.checked(owner, input);
    const now = new Date();
    return runTransaction(this.dataSource, async (tx) => {
      const client = await tx.getRepository(Client).save(
        tx.getRepository(Client).create({
          clientId: newClientId(),
          name: input.name.trim(),
          type: input.type,
          redirectUris,
          grantTypes,
          allowedScopes: scopes,
          ownerId: owner.id,
          status: 'active',
          introspectionAllowed: opts.introspectionAllowed ?? false,
          createdAt: now,
          updatedAt: now,
        }),
      );
      if (client.type === 'public') return { client };
      const { secret } = await this.secrets.issue(client.clientId, tx);
      return { client, secret };
    });
  }

  /**
   * Edits a client, keeping its client_id, type, secrets and owner. Omitted fields stay as they
   * are; the result is checked like a registration. Narrowing takes effect at once: a removed
   * redirect URI is refused at the next authorization request, removed scopes and grant types at
   * the next use of a token or refresh (see AccessTokenService, CodeFlowTokensService).
   * @throws BadRequestException with the reason
   */
  async update(
    client: Client,
    owner: PrincipalUser,
    input: Partial<Omit<CreateClientDto, 'type'>>,
  ): Promise<{ before: ClientShape; after: ClientShape }> {
    const before = shapeOf(client);
    const merged: CreateClientDto = {
      name: input.name ?? client.name,
      type: client.type,
      redirectUris: input.redirectUris ?? client.redirectUris,
      grantTypes: input.grantTypes ?? client.grantTypes,
      scopes: input.scopes ?? client.allowedScopes,
    };
    const { redirectUris, scopes, grantTypes } = this.checked(owner, merged);
    const name = merged.name.trim();
    if (!name) throw new BadRequestException('The name cannot be blank');
    await this.clients.update(
      { clientId: client.clientId },
      { name, redirectUris, grantTypes, allowedScopes: scopes, updatedAt: new Date() },
    );
    Object.assign(client, { name, redirectUris, grantTypes, allowedScopes: scopes });
    return { before, after: shapeOf(client) };
  }

  /** Redirect URIs, scopes and grant types of a registration or an edit, checked; the reason in words when refused. */
  private checked(owner: PrincipalUser, input: CreateClientDto): { redirectUris: string[]; scopes: string[]; grantTypes: GrantType[] } {
    const redirectUris = [...new Set(input.redirectUris ?? [])];
    const problems = redirectUris.map((u) => [u, redirectUriProblem(u)] as const).filter(([, p]) => p !== null);
    if (problems.length > 0) {
      throw new BadRequestException(problems.map(([u, p]) => `redirect URI "${u}" ${p}`).join('; '));
    }
    const scopes = [...new Set(input.scopes ?? [])];
    const unknown = this.scopes.unknown(scopes);
    if (unknown.length > 0) throw new BadRequestException(`Unknown scope: ${unknown.join(' ')}`);
    const held = this.scopes.permissionsFor(owner.roles);
    const notHeld = scopes.filter((s) => !held.has(s));
    if (notHeld.length > 0) throw new BadRequestException(`The owner does not hold the scope: ${notHeld.join(' ')}`);
    return { redirectUris, scopes, grantTypes: this.grantTypesFor(input, redirectUris) };
  }

  /** Explicit grant types are checked against the client; omitted ones default sensibly. */
  private grantTypesFor(input: CreateClientDto, redirectUris: string[]): GrantType[] {
    const confidential = input.type === 'confidential';
    const requested = input.grantTypes ? [...new Set(input.grantTypes)] : undefined;
    const grantTypes: GrantType[] = requested ?? defaultGrantTypes(input.type, redirectUris);
    if (grantTypes.length === 0) throw new BadRequestException('A public client needs at least one redirect URI');
    if (!confidential && grantTypes.includes('client_credentials')) {
      throw new BadRequestException('client_credentials needs a confidential client (RFC 6749 §4.4)');
    }
    if (!confidential && grantTypes.includes(TOKEN_EXCHANGE_GRANT)) {
      throw new BadRequestException('token exchange needs a confidential client (RFC 8693 §2.1)');
    }
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      throw new BadRequestException('authorization_code needs at least one redirect URI');
    }
    // Refresh tokens come from a user's approval: the code flow's or the device flow's (RFC 8628 §3.5).
    if (
      grantTypes.includes('refresh_token') &&
      !grantTypes.includes('authorization_code') &&
      !grantTypes.includes(DEVICE_CODE_GRANT_TYPE)
    ) {
      throw new BadRequestException(`refresh_token is only issued with authorization_code or ${DEVICE_CODE_GRANT_TYPE}`);
    }
    return grantTypes;
  }

  /** Client names by client_id, for pages that show people and clients by name (the audit log). */
  async namesOf(clientIds: readonly string[]): Promise<Map<string, string>> {
    if (clientIds.length === 0) return new Map();
    const rows = await this.clients.find({ where: { clientId: In([...clientIds]) }, select: { clientId: true, name: true } });
    return new Map(rows.map((c) => [c.clientId, c.name]));
  }

  /** The client_ids of clients with exactly this name (names are not unique). */
  async idsNamed(name: string): Promise<string[]> {
    const rows = await this.clients.find({ where: { name: name.trim() }, select: { clientId: true } });
    return rows.map((c) => c.clientId);
  }

  findById(clientId: string): Promise<Client | null> {
    return this.clients.findOneBy({ clientId });
  }

  /**
   * Active and owned by an active user: the only clients that may obtain tokens. The id must match
   * exactly: MySQL's collation would also match case and trailing-space variants, each a new
   * per-client rate-limit key and cache entry for the same client.
   */
  async findActiveById(clientId: string): Promise<Client | null> {
    const client = await this.cache.getOrLoad('client', clientId, async () => {
      const found = await this.clients
        .createQueryBuilder('c')
        .innerJoin('c.owner', 'o')
        .select(['c', 'o.id', 'o.email', 'o.displayName', 'o.roles', 'o.status'])
        .where('c.client_id = :clientId', { clientId })
        .getOne();
      return found?.clientId === clientId ? found : null;
    });
    return client?.status === 'active' && client.owner?.status === 'active' ? client : null;
  }

  listOwnedBy(ownerId: string): Promise<Client[]> {
    return this.clients.find({ where: { ownerId }, order: { createdAt: 'DESC' } });
  }

  /** How many clients are registered (admin dashboard). */
  countAll(): Promise<number> {
    return this.clients.count();
  }

  /** One keyset page of clients, newest first: every client, or those of one owner. */
  listPage(page: PageRequest, ownerId?: string): Promise<Page<Client>> {
    const qb = this.clients.createQueryBuilder('c');
    if (ownerId) qb.where('c.owner_id = :ownerId', { ownerId });
    return keysetPage(qb, { time: 'c.created_at', id: 'c.client_id' }, page, (c) => ({ time: c.createdAt, id: c.clientId }));
  }

  /**
   * RFC 8707: the active resource server registered under this resource indicator, if any.
   * One indexed lookup (unique `resource_uri`).
   */
  findResourceServer(resourceUri: string): Promise<Client | null> {
    return this.clients.findOneBy({ resourceUri, status: 'active' });
  }

  /**
   * An admin's choice of access-token format and algorithm for a client, and its resource
   * indicator when it is a resource server (`null` removes it). 409 when another client already
   * names that resource.
   */
  async setTokenSettings(
    client: Client,
    settings: { accessTokenFormat?: AccessTokenFormat; accessTokenAlg?: JwtSigningAlg; resourceUri?: string | null },
  ): Promise<Client> {
    if (settings.resourceUri) {
      const holder = await this.clients.findOneBy({ resourceUri: settings.resourceUri });
      if (holder && holder.clientId !== client.clientId) throw new ConflictException('Another client already is this resource server');
    }
    const changes = {
      ...(settings.accessTokenFormat ? { accessTokenFormat: settings.accessTokenFormat } : {}),
      ...(settings.accessTokenAlg ? { accessTokenAlg: settings.accessTokenAlg } : {}),
      ...(settings.resourceUri !== undefined ? { resourceUri: settings.resourceUri } : {}),
      updatedAt: new Date(),
    };
    await this.clients.update({ clientId: client.clientId }, changes);
    return Object.assign(client, changes);
  }

  /** Someone else's client is reported as missing, never as forbidden. */
  async getOwned(ownerId: string, clientId: string): Promise<Client> {
    const client = await this.clients.findOneBy({ clientId, ownerId });
    if (!client) throw new NotFoundException('Client not found');
    return client;
  }

  async get(clientId: string): Promise<Client> {
    const client = await this.findById(clientId);
    if (!client) throw new NotFoundException('Client not found');
    return client;
  }

  async rotateSecret(client: Client, revokeOld: boolean): Promise<RotatedSecret> {
    if (client.type !== 'confidential') throw new BadRequestException('A public client has no secret');
    const { secret, graceEndsAt } = await runTransaction(this.dataSource, (tx) => this.secrets.rotate(client.clientId, revokeOld, tx));
    return { secret, graceEndsAt };
  }

  /**
   * Disabling stops its secrets, its token requests and its tokens at once (they check the
   * status), and moves the client's credential epoch in the same UPDATE (issue 22 §1): what was
   * issued to it before (codes, device codes, refresh families, access tokens) stays ended when
   * it is enabled again. Its secrets work again on enable: they are the client, not a grant.
   */
  async setStatus(client: Client, status: Client['status']): Promise<void> {
    const now = new Date();
    const epoch = status === 'disabled' ? { credentialsRevokedAt: now } : {};
    await this.clients.update({ clientId: client.clientId }, { status, updatedAt: now, ...epoch });
    Object.assign(client, { status }, epoch);
  }

  /** Its secrets and tokens go with it (ON DELETE CASCADE). */
  async delete(client: Client): Promise<void> {
    await this.clients.delete({ clientId: client.clientId });
  }
}

/**
 * The grant types of a registration that names none: the code flow (with refresh) when it has
 * redirect URIs, client_credentials for a confidential client; a public client without
 * redirect URIs gets none (and must ask for the device grant explicitly).
 */
function defaultGrantTypes(type: ClientType, redirectUris: readonly string[]): GrantType[] {
  const confidential = type === 'confidential';
  if (redirectUris.length > 0) return ['authorization_code', 'refresh_token', ...(confidential ? (['client_credentials'] as const) : [])];
  return confidential ? ['client_credentials'] : [];
}

/** Public but unguessable: 144 bits from the CSPRNG, base64url (safe in Basic credentials and URLs). */
function newClientId(): string {
  return `ghc_${randomBytes(18).toString('base64url')}`;
}

/** What an edit can change, for the audit record's before/after. */
export interface ClientShape {
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
}

function shapeOf(c: Client): ClientShape {
  return { name: c.name, redirectUris: [...c.redirectUris], grantTypes: [...c.grantTypes], scopes: [...c.allowedScopes] };
}
