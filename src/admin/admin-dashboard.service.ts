import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ClientsService } from '../clients/clients.service';
import { User } from '../users/user.entity';
import { hasRoleCondition } from '../users/users.service';
import { AdminCredentialsService } from './admin-credentials.service';
import type { DashboardView } from './dto/dashboard.view';

const DAY_MS = 86_400_000;

/** The operators' overview: a handful of COUNT queries, nothing cached. */
@Injectable()
export class AdminDashboardService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly credentials: AdminCredentialsService,
    private readonly audit: AuditService,
    private readonly clients: ClientsService,
  ) {}

  async overview(now = new Date()): Promise<DashboardView> {
    const since = new Date(now.getTime() - DAY_MS);
    const [total, active, activeAdmins, clients, liveTokens, succeeded, failed, denied] = await Promise.all([
      this.users.count(),
      this.users.countBy({ status: 'active' }),
      this.users.createQueryBuilder('u').where('u.status = :s', { s: 'active' }).andWhere(...hasRoleCondition('u', 'admin')).getCount(),
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
