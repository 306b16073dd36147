import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, Repository } from 'typeorm';
import { SecretSealer } from '../common/secret-sealer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CreateSsoConnectionDto, UpdateSsoConnectionDto } from './dto/sso-connection.dto';
import { SsoConnectionView } from './dto/sso-connection.view';
import { SsoConnection } from './sso-connection.entity';
import { UpstreamClientSettings, UpstreamOidcClient } from './upstream-oidc.client';

/** The sealer purpose of client secrets; each is bound to its connection's id as context. */
const SECRET_PURPOSE = 'sso-client-secret';
const DEFAULT_SCOPES = ['openid', 'email', 'profile'];

/** The domain of an email address, lower-case ('' when there is none). */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/**
 * Upstream IdP connections: create (discovery fetched and checked first), change, enable,
 * disable; the client secret sealed at rest and opened only to talk to the IdP. A domain routes
 * to at most one enabled connection, so home-realm discovery and "require SSO" are unambiguous.
 */
@Injectable()
export class SsoConnectionsService {
  constructor(
    @InjectRepository(SsoConnection) private readonly connections: Repository<SsoConnection>,
    private readonly sealer: SecretSealer,
    private readonly upstream: UpstreamOidcClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * @throws BadRequestException (400) when the issuer is not allowed or its discovery fails its checks
   * @throws ConflictException (409) when the slug is taken or a domain already routes to another connection
   */
  async create(dto: CreateSsoConnectionDto): Promise<SsoConnection> {
    this.assertIssuerAllowed(dto.issuer);
    if (await this.connections.existsBy({ slug: dto.slug })) throw new ConflictException(`A connection with slug ${dto.slug} exists`);
    const domains = this.domainsOf(dto);
    await this.assertDomainsFree(domains, undefined);
    await this.upstream.validateIssuer(dto.issuer, dto.clientId);
    const id = randomUUID();
    const now = new Date();
    const row = this.connections.create({
      id,
      slug: dto.slug,
      name: dto.name.trim(),
      issuer: dto.issuer,
      clientId: dto.clientId,
      clientSecretSealed: await this.sealer.seal(SECRET_PURPOSE, dto.clientSecret, id),
      scopes: withOpenid(dto.scopes ?? DEFAULT_SCOPES),
      emailClaim: dto.emailClaim ?? 'email',
      nameClaim: dto.nameClaim ?? 'name',
      allowedDomains: unique(dto.allowedDomains ?? []),
      requiredDomains: unique(dto.requiredDomains ?? []),
      defaultRoles: unique(dto.defaultRoles ?? ['user']),
      enabled: true,
      trustEmail: dto.trustEmail ?? false,
      upstreamMfa: dto.upstreamMfa ?? false,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return await this.connections.save(row);
    } catch (err) {
      if (err instanceof QueryFailedError && /unique|duplicate/i.test(err.message)) {
        throw new ConflictException(`A connection with slug ${dto.slug} exists`);
      }
      throw err;
    }
  }

  /**
   * Changes what `dto` carries; a new issuer or client id is discovered and checked again.
   * @returns the connection and the names of the fields that changed (never the secret's value)
   */
  async update(id: string, dto: UpdateSsoConnectionDto): Promise<{ connection: SsoConnection; changed: string[] }> {
    const c = await this.get(id);
    const changed: string[] = [];
    const next: Partial<SsoConnection> = {};
    // An omitted or null field stays as it is (as on client edits): every column is NOT NULL.
    const set = <K extends keyof SsoConnection>(key: K, value: SsoConnection[K] | null | undefined) => {
      if (value === undefined || value === null || JSON.stringify(value) === JSON.stringify(c[key])) return;
      next[key] = value;
      changed.push(key);
    };
    set('name', dto.name?.trim());
    set('issuer', dto.issuer);
    set('clientId', dto.clientId);
    set('scopes', dto.scopes && withOpenid(dto.scopes));
    set('emailClaim', dto.emailClaim);
    set('nameClaim', dto.nameClaim);
    set('allowedDomains', dto.allowedDomains && unique(dto.allowedDomains));
    set('requiredDomains', dto.requiredDomains && unique(dto.requiredDomains));
    set('defaultRoles', dto.defaultRoles && unique(dto.defaultRoles));
    set('trustEmail', dto.trustEmail);
    set('upstreamMfa', dto.upstreamMfa);
    if (next.issuer || next.clientId) {
      this.assertIssuerAllowed(next.issuer ?? c.issuer);
      await this.upstream.validateIssuer(next.issuer ?? c.issuer, next.clientId ?? c.clientId);
    }
    if (next.allowedDomains || next.requiredDomains) {
      await this.assertDomainsFree(this.domainsOf({ ...c, ...next }), c.id);
    }
    if (dto.clientSecret !== undefined && dto.clientSecret !== null) {
      next.clientSecretSealed = await this.sealer.seal(SECRET_PURPOSE, dto.clientSecret, c.id);
      changed.push('clientSecret');
    }
    if (changed.length === 0) return { connection: c, changed };
    next.updatedAt = new Date();
    await this.connections.update({ id: c.id }, next);
    return { connection: await this.get(c.id), changed };
  }

  /** @returns whether it was enabled before */
  async setEnabled(id: string, enabled: boolean): Promise<{ connection: SsoConnection; wasEnabled: boolean }> {
    const c = await this.get(id);
    if (enabled && !c.enabled) await this.assertDomainsFree(this.domainsOf(c), c.id, true);
    if (c.enabled !== enabled) await this.connections.update({ id: c.id }, { enabled, updatedAt: new Date() });
    return { connection: await this.get(c.id), wasEnabled: c.enabled };
  }

  async delete(id: string): Promise<SsoConnection> {
    const c = await this.get(id);
    await this.connections.delete({ id: c.id });
    return c;
  }

  /** @throws NotFoundException (404) */
  async get(id: string): Promise<SsoConnection> {
    const c = /^[0-9a-f-]{36}$/i.test(id) ? await this.connections.findOneBy({ id }) : null;
    if (!c) throw new NotFoundException('No such connection');
    return c;
  }

  findBySlug(slug: string): Promise<SsoConnection | null> {
    return SLUG_SHAPE.test(slug) ? this.connections.findOneBy({ slug }) : Promise.resolve(null);
  }

  list(): Promise<SsoConnection[]> {
    return this.connections.find({ order: { name: 'ASC', slug: 'ASC' } });
  }

  listEnabled(): Promise<SsoConnection[]> {
    return this.connections.find({ where: { enabled: true }, order: { name: 'ASC', slug: 'ASC' } });
  }

  /** The enabled connection an email's domain routes to (allowed or required domains), if any. */
  async routeFor(email: string): Promise<SsoConnection | null> {
    const domain = emailDomain(email);
    if (!domain) return null;
    return (await this.listEnabled()).find((c) => c.allowedDomains.includes(domain) || c.requiredDomains.includes(domain)) ?? null;
  }

  /** The enabled connection that requires single sign-on for the email's domain, if any. */
  async requiredFor(email: string): Promise<SsoConnection | null> {
    const domain = emailDomain(email);
    if (!domain) return null;
    return (await this.listEnabled()).find((c) => c.requiredDomains.includes(domain)) ?? null;
  }

  /** The settings the relying party needs, the secret opened (never cached beyond the call). */
  async clientSettings(c: SsoConnection): Promise<UpstreamClientSettings> {
    return {
      id: c.id,
      version: c.updatedAt.getTime(),
      issuer: c.issuer,
      clientId: c.clientId,
      clientSecret: await this.sealer.openText(SECRET_PURPOSE, c.clientSecretSealed, c.id),
    };
  }

  redirectUri(c: Pick<SsoConnection, 'slug'>): string {
    return `${this.config.publicUrl}/auth/sso/${c.slug}/callback`;
  }

  toView(c: SsoConnection): SsoConnectionView {
    return {
      id: c.id,
      slug: c.slug,
      name: c.name,
      issuer: c.issuer,
      clientId: c.clientId,
      clientSecretSet: true,
      redirectUri: this.redirectUri(c),
      scopes: c.scopes,
      emailClaim: c.emailClaim,
      nameClaim: c.nameClaim,
      allowedDomains: c.allowedDomains,
      requiredDomains: c.requiredDomains,
      defaultRoles: c.defaultRoles,
      enabled: c.enabled,
      trustEmail: c.trustEmail,
      upstreamMfa: c.upstreamMfa,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }

  private assertIssuerAllowed(issuer: string): void {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw new BadRequestException('issuer must be a URL');
    }
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && this.config.sso.allowInsecureHttp) return;
    throw new BadRequestException('issuer must be an https:// URL (OpenID Connect Discovery §3)');
  }

  private domainsOf(c: { allowedDomains?: string[]; requiredDomains?: string[] }): string[] {
    return unique([...(c.allowedDomains ?? []), ...(c.requiredDomains ?? [])]);
  }

  /** A domain routes to one enabled connection at most. */
  private async assertDomainsFree(domains: string[], selfId: string | undefined, enabling = false): Promise<void> {
    if (domains.length === 0) return;
    const others = (await this.listEnabled()).filter((c) => c.id !== selfId);
    for (const o of others) {
      const taken = domains.find((d) => o.allowedDomains.includes(d) || o.requiredDomains.includes(d));
      if (taken) {
        throw new ConflictException(`${taken} already routes to the enabled connection ${o.slug}${enabling ? ': disable it first' : ''}`);
      }
    }
  }
}

const SLUG_SHAPE = /^[a-z0-9][a-z0-9-]{0,62}$/;

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function withOpenid(scopes: string[]): string[] {
  return unique(['openid', ...scopes]);
}
