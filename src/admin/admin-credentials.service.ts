import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CredentialSummary, USER_CREDENTIAL_SOURCES, UserCredentialSource } from './credentials/user-credential-source';

/** Lists and revokes any user's credentials across every registered kind. */
@Injectable()
export class AdminCredentialsService {
  constructor(@Inject(USER_CREDENTIAL_SOURCES) private readonly sources: UserCredentialSource[]) {}

  /** The kinds that can be listed and revoked here (grows as credential modules land). */
  kinds(): string[] {
    return this.sources.map((s) => s.kind);
  }

  async listForUser(userId: string): Promise<CredentialSummary[]> {
    const lists = await Promise.all(this.sources.map((s) => s.listLiveForUser(userId)));
    return lists.flat();
  }

  async revoke(userId: string, kind: string, credentialId: string): Promise<void> {
    const source = this.sources.find((s) => s.kind === kind);
    if (!source) throw new NotFoundException(`Unknown credential kind: ${kind}`);
    if (!(await source.revokeOne(userId, credentialId))) throw new NotFoundException('No such live credential for this user');
  }

  /** Live credentials of every user, by token kind. */
  async countLive(): Promise<Record<string, number>> {
    const counts = await Promise.all(this.sources.map((s) => s.countLive()));
    return Object.assign({}, ...counts) as Record<string, number>;
  }
}
