import { HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { In, Repository } from 'typeorm';
import { hashToken } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/unique-violation';
import { issuedBeforeEpoch } from '../users/credential-epoch';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ChallengeBinding, PasskeyChallenges } from './passkey-challenges.service';
import type { PasskeyCeremony, PasskeyChallenge } from './passkey-challenge.entity';
import { Passkey } from './passkey.entity';
import { PasskeyError, refusals } from './passkey.error';
import { parseAuthenticationResponse, parseRegistrationResponse } from './passkey-response';

/** The passkey's id as a second-factor kind (SecondFactorRegistry, audit details). */
export const PASSKEY_FACTOR = 'passkey';

/** The most passkeys one person may register (each is a row the sign-in looks through). */
export const MAX_PASSKEYS_PER_USER = 20;

/** A verified sign-in: whose passkey, and how the user authenticated (RFC 8176 `amr`). */
export interface PasskeyAssertion {
  user: User;
  passkey: Passkey;
  userVerified: boolean;
  /** `['hwk']` or `['swk']`, then `'mfa'` when the authenticator verified the user (PIN, biometrics). */
  amr: string[];
}

const libraryDetail = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 120);

/**
 * Passkeys (WebAuthn Level 3 through @simplewebauthn/server): registration ceremonies from the
 * account page, sign-in ceremonies (usernameless, discoverable credentials), and the person's
 * list of passkeys. The relying party is PUBLIC_URL: its host name is the RP ID, its origin
 * the only origin a response may name.
 */
@Injectable()
export class PasskeysService {
  constructor(
    @InjectRepository(Passkey) private readonly passkeys: Repository<Passkey>,
    private readonly challenges: PasskeyChallenges,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // --- the person's passkeys ---

  listForUser(userId: string): Promise<Passkey[]> {
    return this.passkeys.find({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async getOwn(userId: string, id: string): Promise<Passkey> {
    const p = await this.passkeys.findOne({ where: { id, userId } });
    if (!p) throw new NotFoundException('No such passkey');
    return p;
  }

  async rename(userId: string, id: string, name: string): Promise<{ before: string; after: string }> {
    const p = await this.getOwn(userId, id);
    await this.passkeys.update({ id: p.id, userId }, { name });
    return { before: p.name, after: name };
  }

  countForUser(userId: string): Promise<number> {
    return this.passkeys.count({ where: { userId } });
  }

  async remove(userId: string, id: string): Promise<Passkey> {
    const p = await this.getOwn(userId, id);
    const res = await this.passkeys.delete({ id: p.id, userId });
    if ((res.affected ?? 0) === 0) throw new NotFoundException('No such passkey');
    return p;
  }

  /** Which of these users have at least one passkey (one query). */
  async usersWithPasskeys(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.passkeys
      .createQueryBuilder('p')
      .select('DISTINCT p.user_id', 'userId')
      .where({ userId: In([...userIds]) })
      .getRawMany<{ userId: string }>();
    return new Set(rows.map((r) => r.userId));
  }

  /** How many passkeys each of these users has (absent: none); one query. */
  async countsAmong(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.passkeys
      .createQueryBuilder('p')
      .select('p.user_id', 'userId')
      .addSelect('COUNT(*)', 'n')
      .where({ userId: In([...userIds]) })
      .groupBy('p.user_id')
      .getRawMany<{ userId: string; n: string | number }>();
    return new Map(rows.map((r) => [r.userId, Number(r.n)]));
  }

  async summary(userId: string): Promise<string | null> {
    const n = await this.countForUser(userId);
    return n === 0 ? null : n === 1 ? '1 passkey' : `${n} passkeys`;
  }

  /** Admin reset of the user's factors: every passkey goes. */
  async deleteAllFor(userId: string): Promise<number> {
    const res = await this.passkeys.delete({ userId });
    return res.affected ?? 0;
  }

  // --- registration (signed in, from the account page) ---

  async registrationOptions(user: User, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.listForUser(user.id);
    if (existing.length >= MAX_PASSKEYS_PER_USER) {
      throw new PasskeyError(
        'verification_failed',
        HttpStatus.CONFLICT,
        `You have ${MAX_PASSKEYS_PER_USER} passkeys, the most an account may have. Delete one first.`,
      );
    }
    const c = this.config.passkeys;
    const options = await generateRegistrationOptions({
      rpName: c.rpName,
      rpID: c.rpId,
      userName: user.email,
      userID: new TextEncoder().encode(user.id),
      userDisplayName: user.displayName,
      timeout: c.challengeTimeoutMs,
      attestationType: 'none',
      // The authenticator refuses to make a second passkey for this account on the same device.
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      // Discoverable ("resident") credentials: the same passkey signs in without a username.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: c.userVerification },
    });
    await this.challenges.issue('registration', { session: sessionId }, options.challenge, user.id);
    return options;
  }

  /**
   * Verifies a registration response against this session's challenge and stores the passkey.
   * Nothing is stored unless every check passes; a credential id already registered (to anyone)
   * is a 409.
   */
  async register(user: User, sessionId: string, rawResponse: string, name: string): Promise<Passkey> {
    const { response, challenge } = parseRegistrationResponse(rawResponse);
    const row = await this.challenges.consume('registration', { session: sessionId }, challenge);
    if (row.userId !== user.id) throw refusals.challengeMissing();
    const fresh = await this.users.findById(user.id);
    if (!fresh || fresh.status !== 'active') throw this.userDisabled();
    if (issuedBeforeEpoch(fresh, row.createdAt)) throw this.revoked();
    const c = this.config.passkeys;
    let info;
    try {
      const v = await verifyRegistrationResponse({
        response,
        expectedChallenge: row.challenge,
        expectedOrigin: c.origin,
        expectedRPID: c.rpId,
        requireUserVerification: c.userVerification === 'required',
      });
      if (!v.verified) throw new Error('not verified');
      info = v.registrationInfo;
    } catch (err) {
      throw refusals.verificationFailed(libraryDetail(err));
    }
    const credentialId = info.credential.id;
    const credentialIdHash = hashToken(credentialId);
    if (await this.passkeys.exists({ where: { credentialIdHash } })) throw this.alreadyRegistered();
    try {
      return await this.passkeys.save(
        this.passkeys.create({
          userId: user.id,
          name,
          credentialId,
          credentialIdHash,
          publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
          signCount: info.credential.counter,
          transports: (info.credential.transports ?? response.response.transports ?? [])
            .filter((t) => /^[a-z-]{1,32}$/.test(t))
            .slice(0, 8),
          aaguid: info.aaguid,
          backupEligible: info.credentialDeviceType === 'multiDevice',
          backedUp: info.credentialBackedUp,
          createdAt: new Date(),
          lastUsedAt: null,
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw this.alreadyRegistered();
      throw err;
    }
  }

  // --- sign-in (signed out, from the sign-in page) ---

  async signInOptions(browserNonce: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const c = this.config.passkeys;
    const options = await generateAuthenticationOptions({
      rpID: c.rpId,
      timeout: c.challengeTimeoutMs,
      userVerification: c.userVerification,
      // Empty: the authenticator offers its discoverable passkeys for this site (no username asked).
      allowCredentials: [],
    });
    await this.challenges.issue('sign-in', { browser: browserNonce }, options.challenge, null);
    return options;
  }

  /**
   * Verifies an assertion against the browser's sign-in challenge: a registered credential of an
   * active person, whose user handle (when sent) is its owner, signed for this origin and RP ID,
   * user verification as configured, and a counter that moved forward. Then records the use.
   * Throws a PasskeyError (4xx); a counter regression is `counter_regression` (the caller audits it).
   */
  verifySignIn(binding: ChallengeBinding, rawResponse: string): Promise<PasskeyAssertion> {
    return this.verifyAssertion('sign-in', binding, rawResponse);
  }

  // --- step-up (signed in: re-authenticating the session, docs/mfa.md#step-up-sudo-mode) ---

  /**
   * PublicKeyCredentialRequestOptionsJSON for re-authenticating the session `sessionId` of
   * `userId` (WebAuthn Level 3 §7.2, authentication ceremony): `allowCredentials` lists the user's
   * own passkeys (so the authenticator offers only those, discoverable or not), `userVerification`
   * as configured. The challenge is bound to purpose `step-up` and this session, single use,
   * replacing the session's earlier step-up challenge; a sign-in or registration challenge never
   * satisfies it, nor it them. Throws PasskeyError 400 `unknown_credential` when the user has no passkey.
   */
  async stepUpOptions(userId: string, sessionId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const own = await this.listForUser(userId);
    if (own.length === 0) {
      throw new PasskeyError('unknown_credential', HttpStatus.BAD_REQUEST, 'Your account has no passkey to confirm with.');
    }
    const c = this.config.passkeys;
    const options = await generateAuthenticationOptions({
      rpID: c.rpId,
      timeout: c.challengeTimeoutMs,
      userVerification: c.userVerification,
      allowCredentials: own.map((p) => ({ id: p.credentialId, transports: p.transports })),
    });
    await this.challenges.issue('step-up', { session: sessionId }, options.challenge, userId);
    return options;
  }

  /**
   * Verifies a step-up assertion (WebAuthn Level 3 §7.2) against the session's `step-up`
   * challenge: every check of a sign-in, and the credential must be one of `userId`'s own
   * passkeys. Records the use (counter, last use). Throws a PasskeyError (4xx): `malformed_response`,
   * `challenge_missing` (none, another purpose or session, already used), `challenge_expired`,
   * `unknown_credential`, `wrong_user` (another account's passkey), `verification_failed`,
   * `counter_regression` (`err.passkey` set: the caller audits it), `user_disabled`, `credentials_revoked`.
   */
  verifyStepUp(userId: string, sessionId: string, rawResponse: string): Promise<PasskeyAssertion> {
    return this.verifyAssertion('step-up', { session: sessionId }, rawResponse, userId);
  }

  /** An assertion against the binding's `purpose` challenge; with `ownerId`, only that user's passkeys count. */
  private async verifyAssertion(
    purpose: PasskeyCeremony,
    binding: ChallengeBinding,
    rawResponse: string,
    ownerId?: string,
  ): Promise<PasskeyAssertion> {
    const { response, challenge, userHandle } = parseAuthenticationResponse(rawResponse);
    const row = await this.challenges.consume(purpose, binding, challenge);
    if (ownerId !== undefined && row.userId !== ownerId) throw refusals.challengeMissing();
    const passkey = await this.passkeys.findOne({ where: { credentialIdHash: hashToken(response.id) } });
    if (!passkey || passkey.credentialId !== response.id) {
      throw new PasskeyError(
        'unknown_credential',
        HttpStatus.BAD_REQUEST,
        `This passkey is not registered here (it may have been deleted). ${ownerId ? 'Confirm' : 'Sign in'} another way.`,
      );
    }
    // Another account's passkey: refused before its signature is looked at, and not attributed to its owner.
    if (ownerId !== undefined && passkey.userId !== ownerId) {
      throw new PasskeyError('wrong_user', HttpStatus.BAD_REQUEST, 'This passkey belongs to another account.');
    }
    try {
      return await this.checkAssertion(passkey, row, response, userHandle);
    } catch (err) {
      if (err instanceof PasskeyError) err.passkey ??= { id: passkey.id, userId: passkey.userId };
      throw err;
    }
  }

  private async checkAssertion(
    passkey: Passkey,
    row: PasskeyChallenge,
    response: AuthenticationResponseJSON,
    userHandle: string | undefined,
  ): Promise<PasskeyAssertion> {
    if (userHandle !== undefined && Buffer.from(userHandle, 'base64url').toString('utf8') !== passkey.userId) {
      throw new PasskeyError('wrong_user', HttpStatus.BAD_REQUEST, 'This passkey response belongs to another account.');
    }
    const user = await this.users.findById(passkey.userId);
    if (!user || user.status !== 'active' || user.kind !== 'person') throw this.userDisabled();
    if (issuedBeforeEpoch(user, row.createdAt)) throw this.revoked();
    const c = this.config.passkeys;
    let info;
    try {
      const v = await verifyAuthenticationResponse({
        response,
        expectedChallenge: row.challenge,
        expectedOrigin: c.origin,
        expectedRPID: c.rpId,
        // The counter is checked below, after the signature: a regression is then a real event to audit.
        credential: {
          id: passkey.credentialId,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: 0,
          transports: passkey.transports,
        },
        requireUserVerification: c.userVerification === 'required',
      });
      if (!v.verified) throw new Error('not verified');
      info = v.authenticationInfo;
    } catch (err) {
      throw refusals.verificationFailed(libraryDetail(err));
    }
    // WebAuthn §6.1.1: a counter that does not grow (when either side keeps one) hints at a cloned authenticator.
    if ((info.newCounter > 0 || passkey.signCount > 0) && info.newCounter <= passkey.signCount) {
      throw new PasskeyError(
        'counter_regression',
        HttpStatus.BAD_REQUEST,
        'This passkey’s signature counter went backwards, which can mean it was copied. It was refused; use another way to sign in.',
        `stored ${passkey.signCount}, received ${info.newCounter}`,
      );
    }
    const now = new Date();
    // Conditional on the counter read above: of two concurrent uses only one moves it.
    const res = await this.passkeys.update(
      { id: passkey.id, signCount: passkey.signCount },
      { signCount: info.newCounter, lastUsedAt: now, backedUp: info.credentialBackedUp },
    );
    if ((res.affected ?? 0) === 0) throw refusals.challengeMissing();
    passkey.signCount = info.newCounter;
    passkey.lastUsedAt = now;
    passkey.backedUp = info.credentialBackedUp;
    // RFC 8176: a synced (backup-eligible) passkey is a software-secured key, a device-bound one hardware-secured.
    const amr = [passkey.backupEligible ? 'swk' : 'hwk', ...(info.userVerified ? ['mfa'] : [])];
    return { user, passkey, userVerified: info.userVerified, amr };
  }

  private alreadyRegistered(): PasskeyError {
    return new PasskeyError('already_registered', HttpStatus.CONFLICT, 'This passkey is already registered.');
  }

  private userDisabled(): PasskeyError {
    return new PasskeyError('user_disabled', HttpStatus.FORBIDDEN, 'This account is disabled and cannot sign in.');
  }

  private revoked(): PasskeyError {
    return new PasskeyError(
      'credentials_revoked',
      HttpStatus.BAD_REQUEST,
      'Your account’s access was ended while this was under way. Try again.',
    );
  }
}
