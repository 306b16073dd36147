import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ClientsService } from '../clients/clients.service';
import { UsersService } from '../users/users.service';
import { AdminCredentialsService } from './admin-credentials.service';
import type { DashboardView } from './dto/dashboard.view';

const DAY_MS = 86_400_000;

/** The operators' overview: a handful of COUNT queries, nothing cached. */
@Injectable()
export class AdminDashboardService {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: AdminCredentialsService,
    private readonly audit: AuditService,
    private readonly clients: ClientsService,
  ) {}

  async overview(now = new Date()): Promise<DashboardView> {
    const since = new Date(now.getTime() - DAY_MS);
    const [{ total, active, activeAdmins }, clients, liveTokens, succeeded, failed, denied] = await Promise.all([
      this.users.counts(),
      this.clients.countAll(),
      this.credentials.countLive(),
      this.audit.countSince('auth.login', 'success', since),
      this.audit.countSince('auth.login', 'failed', since),
      this.audit.countSince('auth.login', 'denied', since),
    ]);
    return {
      generatedAt: now.toISOString(),
      users: { total, active, disabled: total - active, activeAdmins },
      clients,
      liveTokens,
      signInsLast24h: { succeeded, failed: failed + denied },
    };
  }
}
