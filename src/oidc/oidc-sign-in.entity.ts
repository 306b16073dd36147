import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { Session } from '../sessions/session.entity';

/**
 * One OpenID Connect sign-in: an authorization code issued for `scope=openid`, what its id_token
 * must carry (Core §3.1.3.6: `nonce`, the session's `auth_time`/`amr`/`acr`, `sid`), and, once
 * the code is redeemed, the token family (`grant_id`) whose refreshes return new id_tokens
 * (Core §12.2). The rows of a session name the clients that got an id_token in it: back-channel
 * logout notifies them. Deleted with the session (housekeeping purges ended sessions).
 */
@Index('uq_oidc_sign_ins_code', ['codeHash'], { unique: true })
@Index('ix_oidc_sign_ins_grant', ['grantId'])
@Index('ix_oidc_sign_ins_session', ['sessionId'])
@Entity('oidc_sign_ins')
export class OidcSignIn {
  @UuidPrimaryColumn()
  id: string;

  /** SHA-256 of the authorization code (the code itself is never stored). */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  /** The token family the code was redeemed into; null until then. */
  @Column({ name: 'grant_id', type: 'varchar', length: 36, nullable: true })
  grantId: string | null;

  @ForeignKey(() => Session, { onDelete: 'CASCADE' })
  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** Echoed exactly in the first id_token (Core §3.1.2.1); at most 512 characters. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  nonce: string | null;

  @Column({ name: 'auth_time', type: 'datetime', precision: 3 })
  authTime: Date;

  @Column({ type: 'simple-json', nullable: true })
  amr: string[] | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  acr: string | null;

  /** Set when the code was redeemed: an id_token went to the client in this session. */
  @Column({ name: 'id_token_issued_at', type: 'datetime', precision: 3, nullable: true })
  idTokenIssuedAt: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
