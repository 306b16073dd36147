import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { Repository } from 'typeorm';
import { JWT_SIGNING_ALGS, type JwtSigningAlg } from '../clients/client-types';
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
 *
 * Pre-publication rule: a key is in the JWKS before it signs anything. The first key of each
 * algorithm is made at startup (before the server listens, so no JWKS response was ever empty)
 * and idempotently under N instances starting together (a unique `genesis` slot per algorithm,
 * claimed by insert-or-ignore: the instances that lose use the winner's key). Every later key is a
 * rotation, published `SIGNING_KEY_PREPUBLISH_SECONDS` before it signs.
 */
@Injectable()
export class SigningKeysService implements OnApplicationBootstrap {
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

  /** Startup: the first key of every algorithm exists and is published before the server listens. */
  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstKeys();
  }

  /**
   * Creates the first key of each algorithm that has none (active at once: it is published from
   * the first JWKS response). Safe when N instances run it together: one insert per algorithm
   * wins the `genesis` slot (INSERT IGNORE / OR IGNORE / ON CONFLICT DO NOTHING), the others
   * read the winner's key. Returns the kids this call created.
   */
  async ensureFirstKeys(): Promise<string[]> {
    await this.reload();
    const created: string[] = [];
    for (const alg of JWT_SIGNING_ALGS) {
      if (this.cache!.rows.some((k) => k.alg === alg)) continue;
      const row = await this.create(alg, new Date(), { genesis: true });
      if (row) created.push(row.kid);
    }
    return created;
  }

  /**
   * The key that signs now for `alg`: the newest whose `activeFrom` has passed, and a
   * pre-published successor when the rotation schedule says so. The first key was made at
   * startup (ensureFirstKeys); only if none of the algorithm's keys can be opened (the key
   * encryption key changed) is one made here, signing at once, with a warning.
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
    if (ofAlg.length === 0) await this.create(alg, new Date(now), { genesis: true });
    else {
      this.logger.warn(`no ${alg} signing key can be opened: a new one signs at once, before resource servers can have fetched it`);
      await this.create(alg, new Date(now));
    }
    return this.signingKey(alg);
  }

  /**
   * Adds a new key for `alg`, published at once and signing after the pre-publication delay
   * (`SIGNING_KEY_PREPUBLISH_SECONDS`, or `prepublishMs`), so resource servers that cache the
   * JWKS learn it before they meet a token it signed. Older keys stay published until every
   * token they signed has expired.
   */
  async rotate(alg: JwtSigningAlg, prepublishMs = this.config.jwt.prepublishMs): Promise<SigningKey> {
    return (await this.create(alg, new Date(Date.now() + prepublishMs)))!;
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

  /**
   * Writes a new key. `genesis`: the algorithm's first key, which claims the algorithm's unique
   * genesis slot; null when another instance claimed it first (its key is then in the cache).
   */
  private async create(alg: JwtSigningAlg, activeFrom: Date, opts: { genesis?: boolean } = {}): Promise<SigningKey | null> {
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
      genesis: opts.genesis ? alg : null,
    });
    if (opts.genesis) {
      await this.keys.createQueryBuilder().insert().into(SigningKey).values(row).orIgnore().execute();
      await this.reload();
      if (!this.cache!.rows.some((k) => k.kid === kid)) {
        this.logger.log(`the first ${alg} signing key was created by another instance`);
        return null;
      }
      this.logger.log(`first signing key ${kid} (${alg}) created, published and signing from ${activeFrom.toISOString()}`);
      return row;
    }
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
