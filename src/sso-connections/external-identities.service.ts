import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { ExternalIdentityView } from './dto/sso-connection.view';
import { ExternalIdentity } from './external-identity.entity';
import { SsoConnection } from './sso-connection.entity';

/** The external identities table: who a person is at an upstream IdP, linked to their user. */
@Injectable()
export class ExternalIdentitiesService {
  constructor(@InjectRepository(ExternalIdentity) private readonly identities: Repository<ExternalIdentity>) {}

  /** The identity for an upstream `iss` + `sub` (Core §5.7), with its connection. */
  findBySubject(issuer: string, subject: string): Promise<ExternalIdentity | null> {
    return this.identities.findOneBy({ issuer, subject });
  }

  /** @throws ConflictException (409) when this `iss` + `sub` is already linked (a concurrent first sign-in) */
  async link(c: SsoConnection, userId: string, subject: string, email: string | null): Promise<ExternalIdentity> {
    const now = new Date();
    try {
      return await this.identities.save(
        this.identities.create({ connectionId: c.id, userId, issuer: c.issuer, subject, email, createdAt: now, lastSignInAt: now }),
      );
    } catch (err) {
      if (err instanceof QueryFailedError && /unique|duplicate/i.test(err.message)) {
        throw new ConflictException('This identity is already linked to an account');
      }
      throw err;
    }
  }

  async touch(identity: ExternalIdentity, email: string | null): Promise<void> {
    await this.identities.update({ id: identity.id }, { lastSignInAt: new Date(), email });
  }

  listForUser(userId: string): Promise<ExternalIdentity[]> {
    return this.identities.find({ where: { userId }, relations: { connection: true }, order: { createdAt: 'ASC' } });
  }

  /** The users linked through a connection (for "disable and end its sessions"). */
  async userIdsOf(connectionId: string): Promise<string[]> {
    const rows = await this.identities.find({ where: { connectionId }, select: { userId: true } });
    return [...new Set(rows.map((r) => r.userId))];
  }

  countForConnection(connectionId: string): Promise<number> {
    return this.identities.countBy({ connectionId });
  }

  /**
   * Unlinks one identity of a user; the next sign-in through it is a first sign-in again.
   * @throws NotFoundException (404) when the user has no such identity
   */
  async unlink(userId: string, identityId: string): Promise<ExternalIdentity> {
    const row = /^[0-9a-f-]{36}$/i.test(identityId)
      ? await this.identities.findOne({ where: { id: identityId, userId }, relations: { connection: true } })
      : null;
    if (!row) throw new NotFoundException('No such linked identity');
    await this.identities.delete({ id: row.id });
    return row;
  }

  toView(i: ExternalIdentity): ExternalIdentityView {
    return {
      id: i.id,
      userId: i.userId,
      connectionId: i.connectionId,
      connectionSlug: i.connection?.slug ?? '',
      connectionName: i.connection?.name ?? '',
      issuer: i.issuer,
      subject: i.subject,
      email: i.email,
      createdAt: i.createdAt.toISOString(),
      lastSignInAt: i.lastSignInAt.toISOString(),
    };
  }
}
