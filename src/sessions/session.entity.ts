import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

/** A browser session. The cookie carries the secret; only its SHA-256 is stored here. */
@Index('uq_sessions_secret_hash', ['secretHash'], { unique: true })
@Index('ix_sessions_user', ['userId', 'createdAt'])
@Index('ix_sessions_expires', ['expiresAt'])
@Index('ix_sessions_revoked', ['revokedAt'])
@Entity('sessions')
export class Session {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3 })
  lastSeenAt: Date;

  /** Absolute timeout; the idle timeout is measured from lastSeenAt. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  /**
   * When the user last authenticated in this session (OpenID Connect Core §2 `auth_time`): set at
   * sign-in, moved forward by a re-authentication (a second factor, `prompt=login` signs in anew).
   * Null only for sessions older than this column; read it through `authenticatedAt()`.
   */
  @Column({ name: 'auth_time', type: 'datetime', precision: 3, nullable: true })
  authTime: Date | null;

  /**
   * Authentication method references (RFC 8176 names, Core §2 `amr`), in the order performed:
   * password sign-in records `["pwd"]`; the second-factor step appends `otp` (TOTP), `hwk`/`swk`
   * (a security key / platform authenticator) and `mfa`. Stored as a JSON array in a text column.
   */
  @Column({ type: 'simple-json', nullable: true })
  amr: string[] | null;

  /** Authentication context class reference (Core §2 `acr`), when a policy defines one; else null. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  acr: string | null;

  /** The upstream IdP's issuer when the user signed in through single sign-on (src/sso); null for local sign-in. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  idp: string | null;

  /**
   * A sign-in that has passed the password but not yet a further step (`mfa`: the second factor;
   * `mfa-enrol`: the enrolment `MFA_REQUIRED` asks for), named by the step that the
   * `SignInStepRegistry` defines; null for a full session. Until the step completes the cookie
   * strategy refuses the session on every route the step does not allow (see sign-in-steps.ts).
   */
  @Column({ name: 'pending_step', type: 'varchar', length: 32, nullable: true })
  pendingStep: string | null;

  /** When the partial state ends (a few minutes after the password): past it the session no longer authenticates. */
  @Column({ name: 'pending_until', type: 'datetime', precision: 3, nullable: true })
  pendingUntil: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;
}

/** When the session's user last authenticated: `auth_time`, or the session's start for rows older than that column. */
export function authenticatedAt(session: Pick<Session, 'authTime' | 'createdAt'>): Date {
  return session.authTime ?? session.createdAt;
}
