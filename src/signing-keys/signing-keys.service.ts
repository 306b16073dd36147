import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { Repository } from 'typeorm';
import type { JwtSigningAlg } from '../clients/client-types';
import { SecretSealer } from '../common/secret-sealer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SigningKey } from './signing-key.entity';

/** What jose's sign/verify accept from importJWK, on jose 5 (KeyObject) and 6 (CryptoKey) alike. */
type ImportedKey = Awaited<ReturnType<typeof importJWK>>;

/** A published public key, as the JWKS lists it (RFC 7517 §4). */
export type PublishedJwk = JWK & { kid: string; alg: string; use: 'sig' };

/** The sealer purpose of private signing keys at rest. */
const SIGNING_KEY_PURPOSE = 'signing-key';
/** How long the key list is trusted before it is read again (other instances may rotate). */
const RELOAD_MS = 60_000;
/** An unknown `kid` forces a reload, at most this often (a flood of junk kids costs nothing). */
const UNKNOWN_KID_RELOAD_MS = 5_000;
/** Clock skew allowed for tokens signed by a key that has just been superseded. */
const SKEW_MS = 60_000;

/**
 * The JWT signing keys: created, sealed at rest, rotated with pre-publication, published in the
 * JWKS and used for verification. The key list is cached in memory and re-read every minute
 * (or when a token names an unknown `kid`), so verification costs no database query.
 * All JOSE work is jose's.
 */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger(SigningKeysService.name);
  private cache?: { loadedAt: number; rows: SigningKey[]; published: PublishedJwk[]; keySet: ReturnType<typeof createLocalJWKSet> };
  private loading?: Promise<void>;
  private lastUnknownKidReload = 0;
  private readonly privateKeys = new Map<string, Promise<ImportedKey | null>>();

  constructor(
    @InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealer: SecretSealer,
  ) {}

  /**
   * The key that signs now for `alg`: the newest whose `activeFrom` has passed. Creates the
   * first key of an algorithm on first use (active at once: nothing can have cached a JWKS
   * without it), and a pre-published successor when the rotation schedule says so.
   */
  async signingKey(alg: JwtSigningAlg): Promise<{ kid: string; key: ImportedKey }> {
    await this.fresh();
    const now = Date.now();
    const ofAlg = this.cache!.rows.filter((k) => k.alg === alg);
    const newest = ofAlg[ofAlg.length - 1];
    if (newest && this.config.jwt.rotationMs > 0 && newest.activeFrom.getTime() + this.config.jwt.rotationMs <= now) {
      // Another instance may have rotated since this one last read the keys: look again first.
      if (Date.now() - this.cache!.loadedAt > UNKNOWN_KID_RELOAD_MS) {
        await this.reload();
        return this.signingKey(alg);
      }
      await this.rotate(alg);
      return this.signingKey(alg);
    }
    for (const row of [...ofAlg].reverse()) {
      if (row.activeFrom.getTime() > now) continue;
      const key = await this.privateKey(row);
      if (key) return { kid: row.kid, key };
    }
    await this.create(alg, new Date(now));
    return this.signingKey(alg);
  }

  /**
   * Adds a new key for `alg`, published at once and signing after the pre-publication delay
   * (`SIGNING_KEY_PREPUBLISH_SECONDS`, or `prepublishMs`), so resource servers that cache the
   * JWKS learn it before they meet a token it signed. Older keys stay published until every
   * token they signed has expired.
   */
  async rotate(alg: JwtSigningAlg, prepublishMs = this.config.jwt.prepublishMs): Promise<SigningKey> {
    return this.create(alg, new Date(Date.now() + prepublishMs));
  }

  /** The public keys to publish (RFC 7517 JWK Set `keys`), newest first. */
  async published(): Promise<PublishedJwk[]> {
    await this.fresh();
    return this.cache!.published;
  }

  /**
   * A jose key resolver over the published keys, for jwtVerify. A token naming an unknown
   * `kid` triggers one reload (rate-limited), so a key rotated on another instance is found.
   */
  async verificationKeys(kid: string | undefined): Promise<ReturnType<typeof createLocalJWKSet>> {
    await this.fresh();
    const now = Date.now();
    if (kid && !this.cache!.published.some((k) => k.kid === kid) && now - this.lastUnknownKidReload > UNKNOWN_KID_RELOAD_MS) {
      this.lastUnknownKidReload = now;
      await this.reload();
    }
    return this.cache!.keySet;
  }

  /** Forgets the cached key list (after a rotation elsewhere; tests). */
  async reload(): Promise<void> {
    this.cache = undefined;
    await this.fresh();
  }

  private async fresh(): Promise<void> {
    if (this.cache && Date.now() - this.cache.loadedAt < RELOAD_MS) return;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    await this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.keys.find({ order: { activeFrom: 'ASC', createdAt: 'ASC' } });
    const published = this.publishable(rows, Date.now());
    this.cache = { loadedAt: Date.now(), rows, published, keySet: createLocalJWKSet({ keys: published }) };
  }

  /**
   * Every key that is pre-published, signing now, or was superseded recently enough that tokens
   * it signed may still be live (the JWT lifetime plus clock skew).
   */
  private publishable(rows: SigningKey[], now: number): PublishedJwk[] {
    const keep = this.config.jwt.accessTokenTtlSeconds * 1000 + SKEW_MS;
    const out: PublishedJwk[] = [];
    for (const [i, row] of rows.entries()) {
      const successor = rows.slice(i + 1).find((k) => k.alg === row.alg && k.activeFrom.getTime() <= now);
      if (successor && successor.activeFrom.getTime() + keep < now) continue;
      out.push({ ...(JSON.parse(row.publicJwk) as JWK), kid: row.kid, alg: row.alg, use: 'sig' });
    }
    return out.reverse();
  }

  private async create(alg: JwtSigningAlg, activeFrom: Date): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(alg, {
      extractable: true,
      ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
    });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const sealed = await this.sealer.seal(SIGNING_KEY_PURPOSE, JSON.stringify(await exportJWK(privateKey)));
    const row = this.keys.create({
      kid,
      alg,
      publicJwk: JSON.stringify(publicJwk),
      privateJwkSealed: sealed,
      createdAt: new Date(),
      activeFrom,
    });
    await this.keys.insert(row);
    this.logger.log(`signing key ${kid} (${alg}) created, signing from ${activeFrom.toISOString()}`);
    await this.reload();
    return row;
  }

  /** The private key, opened once per process; null (and logged) if it cannot be opened. */
  private privateKey(row: SigningKey): Promise<ImportedKey | null> {
    let key = this.privateKeys.get(row.kid);
    if (!key) {
      // Keys sealed before the shared sealer existed (raw key, no `pur`) open too: never re-sealed.
      key = this.sealer
        .openText(SIGNING_KEY_PURPOSE, row.privateJwkSealed)
        .then((text) => importJWK(JSON.parse(text) as JWK, row.alg))
        .catch(() => {
          this.logger.warn(`signing key ${row.kid} cannot be opened with the configured key; it will not sign`);
          return null;
        });
      this.privateKeys.set(row.kid, key);
    }
    return key;
  }
}
