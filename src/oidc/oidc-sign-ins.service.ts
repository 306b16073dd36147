import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import { hashToken } from '../auth/token-format';
import { OidcSignIn } from './oidc-sign-in.entity';

/** What a sign-in records when its code is issued. */
export interface NewSignIn {
  code: string;
  sessionId: string;
  clientId: string;
  userId: string;
  nonce: string | null;
  authTime: Date;
  amr: readonly string[] | null;
  acr: string | null;
}

/** The `oidc_sign_ins` table: written when a code for `scope=openid` is issued, read at the token endpoint and at logout. */
@Injectable()
export class OidcSignInsService {
  constructor(@InjectRepository(OidcSignIn) private readonly signIns: Repository<OidcSignIn>) {}

  async record(s: NewSignIn): Promise<void> {
    await this.signIns.insert({
      codeHash: hashToken(s.code),
      grantId: null,
      sessionId: s.sessionId,
      clientId: s.clientId,
      userId: s.userId,
      nonce: s.nonce,
      authTime: s.authTime,
      amr: s.amr ? [...s.amr] : null,
      acr: s.acr,
      idTokenIssuedAt: null,
      createdAt: new Date(),
    });
  }

  /**
   * The sign-in of a code being redeemed into `grantId` (Core §3.1.3.3): linked to the family,
   * so refreshes find it, and marked as having sent an id_token. Null when the code was not an
   * OpenID Connect one.
   */
  async redeem(code: string, grantId: string): Promise<OidcSignIn | null> {
    const row = await this.signIns.findOneBy({ codeHash: hashToken(code) });
    if (!row) return null;
    row.grantId = grantId;
    row.idTokenIssuedAt = new Date();
    await this.signIns.update({ id: row.id }, { grantId, idTokenIssuedAt: row.idTokenIssuedAt });
    return row;
  }

  /** The sign-in a token family came from (a refresh's id_token repeats its auth_time, Core §12.2). */
  findByGrant(grantId: string): Promise<OidcSignIn | null> {
    return this.signIns.findOneBy({ grantId });
  }

  /** The sign-ins of the sessions that sent an id_token: the clients to tell about their end (Back-Channel Logout §2.7). */
  issuedInSessions(sessionIds: readonly string[]): Promise<OidcSignIn[]> {
    if (sessionIds.length === 0) return Promise.resolve([]);
    return this.signIns.find({
      where: { sessionId: In([...sessionIds]), idTokenIssuedAt: Not(IsNull()) },
      select: { id: true, sessionId: true, clientId: true, userId: true },
    });
  }
}
