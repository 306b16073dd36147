import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PasswordResetLink } from './password-reset-link.entity';
import { PASSWORD_RESET_TOKEN } from './password-reset.token-kind';

/** A reset link lives this long (the issue's rule: 30 minutes). */
export const RESET_LINK_TTL_MS = 30 * 60_000;

export interface IssuedResetLink {
  /** The full URL to hand over or email: `<PUBLIC_URL>/password-reset?token=ghpr_…`. Shown once. */
  url: string;
  expiresAt: Date;
}

/**
 * One-time password-reset links: a `ghpr_` token (high entropy, checksummed), stored as SHA-256,
 * valid 30 minutes, consumed by one conditional UPDATE so two uses cannot both succeed. Issuing a
 * new link makes the user's older unused links void.
 */
@Injectable()
export class PasswordResetLinksService {
  constructor(
    @InjectRepository(PasswordResetLink) private readonly links: Repository<PasswordResetLink>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(userId: string, createdBy: string | null, now = new Date()): Promise<IssuedResetLink> {
    await this.links.update({ userId, usedAt: IsNull() }, { usedAt: now });
    const token = generateToken(PASSWORD_RESET_TOKEN);
    const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
    await this.links.insert({ userId, tokenHash: hashToken(token), createdBy, createdAt: now, expiresAt, usedAt: null });
    return { url: `${this.config.publicUrl}/password-reset?token=${token}`, expiresAt };
  }

  /** The live link for a token, or null (malformed, unknown, used, expired). Does not consume it. */
  async findLive(token: string, now = new Date()): Promise<PasswordResetLink | null> {
    if (!isWellFormed(PASSWORD_RESET_TOKEN, token)) return null;
    return this.links.findOneBy({ tokenHash: hashToken(token), usedAt: IsNull(), expiresAt: MoreThan(now) });
  }

  /** Marks the link used; false when another request used it first (or it expired meanwhile). */
  async consume(link: PasswordResetLink, now = new Date()): Promise<boolean> {
    const res = await this.links.update({ id: link.id, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now });
    return (res.affected ?? 0) === 1;
  }
}
