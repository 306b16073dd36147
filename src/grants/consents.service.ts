import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { Consent } from './consent.entity';
import { isSubset } from '../oauth/scope-list';

/** What each user has approved for each client: one remembered consent per (user, client). */
@Injectable()
export class ConsentsService {
  constructor(@InjectRepository(Consent) private readonly consents: Repository<Consent>) {}

  /** The user already approved every one of these scopes for this client: no need to ask again. */
  async covers(userId: string, clientId: string, scopes: readonly string[]): Promise<boolean> {
    const consent = await this.consents.findOneBy({ userId, clientId });
    return consent !== null && isSubset(scopes, consent.scopes);
  }

  /** Adds the newly approved scopes to what was approved before. */
  async remember(userId: string, clientId: string, scopes: readonly string[]): Promise<Consent> {
    const now = new Date();
    const existing = await this.consents.findOneBy({ userId, clientId });
    if (existing) return this.widen(existing, scopes, now);
    try {
      return await this.consents.save(this.consents.create({ userId, clientId, scopes: [...scopes], createdAt: now, updatedAt: now }));
    } catch (err) {
      // Two approvals raced to create the row: the unique index kept one, extend that one.
      if (!(err instanceof QueryFailedError)) throw err;
      const raced = await this.consents.findOneByOrFail({ userId, clientId });
      return this.widen(raced, scopes, now);
    }
  }

  listForUser(userId: string): Promise<Consent[]> {
    return this.consents.find({ where: { userId }, order: { updatedAt: 'DESC', id: 'ASC' } });
  }

  /** False when there was nothing to forget. */
  async forget(userId: string, clientId: string): Promise<boolean> {
    const res = await this.consents.delete({ userId, clientId });
    return (res.affected ?? 0) > 0;
  }

  private async widen(consent: Consent, scopes: readonly string[], now: Date): Promise<Consent> {
    consent.scopes = [...new Set([...consent.scopes, ...scopes])];
    consent.updatedAt = now;
    await this.consents.update({ id: consent.id }, { scopes: consent.scopes, updatedAt: now });
    return consent;
  }
}
