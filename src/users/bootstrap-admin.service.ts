import { ConflictException, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { UsersService } from './users.service';

/**
 * Creates the first admin from BOOTSTRAP_ADMIN_EMAIL/PASSWORD when no active admin exists.
 * Idempotent when N instances start together on an empty database: the insert relies on the
 * unique email (uq_users_email), never on the check before it, and an instance whose insert
 * loses the race (409 from UsersService.create) carries on with the winner's admin.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin || (await this.users.activeAdminExists())) return;
    if (await this.users.findByEmail(admin.email)) {
      this.logger.warn(`BOOTSTRAP_ADMIN_EMAIL ${admin.email} exists but is not an active admin; not changing it`);
      return;
    }
    try {
      await this.users.create({ email: admin.email, displayName: 'Administrator', password: admin.password, roles: ['admin'] });
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      this.logger.log(`The first admin ${admin.email} was created by another instance`);
      return;
    }
    this.logger.log(`Created the first admin: ${admin.email}`);
  }
}
