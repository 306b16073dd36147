import { BadRequestException, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { mapPage, type Page, type PageRequest } from '../common/keyset';
import type { RequestMeta } from '../common/request-meta';
import { UsersService } from '../users/users.service';
import type { StartedImpersonationView, ImpersonationView } from './dto/impersonation.view';
import type { ImpersonationToken } from './impersonation-token.entity';
import { ImpersonationRefused, ImpersonationService } from './impersonation.service';

export function toImpersonationView(t: ImpersonationToken): ImpersonationView {
  return {
    id: t.id,
    subjectId: t.subjectUserId,
    subjectEmail: t.subject?.email ?? '',
    actorId: t.actorUserId,
    actorName: t.actor?.displayName ?? '',
    clientId: t.clientId,
    scopes: t.scopes,
    reason: t.reason,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
  };
}

/** Impersonation started by a signed-in admin (the admin API and page), with a reason. */
@Injectable()
export class AdminImpersonationService {
  constructor(
    private readonly impersonation: ImpersonationService,
    private readonly users: UsersService,
  ) {}

  /** 400 with the reason when refused (unknown user, an admin, oneself, a bot, disabled, scope). */
  async start(
    admin: Principal,
    input: { user: string; reason: string; scopes?: string[] },
    meta: RequestMeta,
  ): Promise<StartedImpersonationView> {
    const actor = await this.users.findById(admin.actor.id);
    const named = input.user.includes('@') ? await this.users.findByEmail(input.user) : { id: input.user.trim() };
    if (!actor || !named) throw new BadRequestException('No such user');
    try {
      const { token, row, expiresIn } = await this.impersonation.start({
        actor,
        actorCredential: admin.credential,
        actorCredentialScopes: admin.scopes,
        subjectUserId: named.id,
        scopes: input.scopes,
        clientId: null,
        reason: input.reason.trim(),
        meta,
      });
      const subject = await this.users.findById(row.subjectUserId);
      return { ...toImpersonationView({ ...row, subject: subject ?? undefined, actor }), token, expiresIn };
    } catch (err) {
      if (err instanceof ImpersonationRefused) throw new BadRequestException(err.message);
      throw err;
    }
  }

  async listLive(page: PageRequest): Promise<Page<ImpersonationView>> {
    return mapPage(await this.impersonation.listLive(page), toImpersonationView);
  }

  revoke(admin: Principal, id: string, meta: RequestMeta): Promise<boolean> {
    return this.impersonation.revoke(admin, id, meta);
  }
}
