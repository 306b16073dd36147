import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hashToken } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { PasskeyCeremony, PasskeyChallenge } from './passkey-challenge.entity';
import { refusals } from './passkey.error';

/** What a challenge is bound to: the session that asked for it, or (signed out) a browser nonce. */
export type ChallengeBinding = { session: string } | { browser: string };

function bindingHash(b: ChallengeBinding): string {
  return hashToken('session' in b ? `session:${b.session}` : `browser:${b.browser}`);
}

/**
 * WebAuthn challenges in the database, so that any instance can check a response: issued bound
 * to a session or a browser, used at most once (the row is deleted before the response is
 * verified, and only the request whose DELETE removed it goes on), and expired after
 * PASSKEYS_CHALLENGE_TIMEOUT_SECONDS. A new challenge replaces the binding's earlier ones.
 */
@Injectable()
export class PasskeyChallenges implements OnModuleInit {
  constructor(
    @InjectRepository(PasskeyChallenge) private readonly challenges: Repository<PasskeyChallenge>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly purge: PurgeTaskRegistry,
  ) {}

  onModuleInit(): void {
    this.purge.register(repositoryPurgeTask('passkey_challenges', this.challenges, ['expires_at']));
  }

  async issue(purpose: PasskeyCeremony, binding: ChallengeBinding, challenge: string, userId: string | null): Promise<void> {
    const hash = bindingHash(binding);
    await this.challenges.delete({ bindingHash: hash, purpose });
    const now = new Date();
    await this.challenges.insert({
      purpose,
      bindingHash: hash,
      challenge,
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.passkeys.challengeTimeoutMs),
    });
  }

  /**
   * Takes the binding's challenge that the response names: gone afterwards whatever the verification says.
   * Throws a PasskeyError (4xx) when there is none (never issued here, for another session or
   * browser, already used) or it has expired.
   */
  async consume(purpose: PasskeyCeremony, binding: ChallengeBinding, challenge: string): Promise<PasskeyChallenge> {
    if (challenge.length === 0 || challenge.length > 128) throw refusals.challengeMissing();
    const row = await this.challenges.findOne({ where: { bindingHash: bindingHash(binding), purpose, challenge } });
    if (!row) throw refusals.challengeMissing();
    const res = await this.challenges.delete({ id: row.id });
    // Another request with the same response got there first: a replay.
    if ((res.affected ?? 0) === 0) throw refusals.challengeMissing();
    if (row.expiresAt.getTime() <= Date.now()) throw refusals.challengeExpired();
    return row;
  }
}
