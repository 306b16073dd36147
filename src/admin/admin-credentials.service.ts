import { Injectable, NotFoundException } from '@nestjs/common';
import { CredentialSummary, UserCredentialRegistry } from '../users/user-credential-source';

/** Lists and revokes any user's credentials across every registered kind. */
@Injectable()
export class AdminCredentialsService {
  constructor(private readonly registry: UserCredentialRegistry) {}

  private get sources() {
    return this.registry.all();
  }

  /** The kinds that can be listed and revoked here (grows as credential modules land). */
  kinds(): string[] {
    return this.sources.map((s) => s.kind);
  }

  async listForUser(userId: string): Promise<CredentialSummary[]> {
    const lists = await Promise.all(this.sources.map((s) => s.listLiveForUser(userId)));
    return lists.flat();
  }

  async revoke(userId: string, kind: string, credentialId: string): Promise<void> {
    const source = this.registry.find(kind);
    if (!source) throw new NotFoundException(`Unknown credential kind: ${kind}`);
    if (!(await source.revokeOne(userId, credentialId))) throw new NotFoundException('No such live credential for this user');
  }

  /** The user's live credentials for a page: each with its kind's registered label (`kindLabel`), as the dashboard names them. */
  async listForUserPage(userId: string): Promise<(CredentialSummary & { kindLabel: string })[]> {
    return (await this.listForUser(userId)).map((c) => ({ ...c, kindLabel: this.registry.label(c.kind) }));
  }

  /** Live credentials of every user, by token kind. */
  async countLive(): Promise<Record<string, number>> {
    const counts = await Promise.all(this.sources.map((s) => s.countLive()));
    return Object.assign({}, ...counts) as Record<string, number>;
  }
}
