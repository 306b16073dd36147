import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NavigationRegistry } from '../web/navigation.registry';
import { AdminMfaPolicyController } from './admin-mfa-policy.controller';
import { MfaPolicy } from './mfa-policy';
import { MfaSetting } from './mfa-setting.entity';

/**
 * Who must have a second factor (docs/mfa.md "Operator policy"): `MFA_REQUIRED`, overridden at
 * runtime by an admin (`mfa_settings`, `/admin/mfa/policy`). The MFA core holds sign-ins and
 * refuses factor removals by it; the admin pages show and change it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MfaSetting])],
  controllers: [AdminMfaPolicyController],
  providers: [MfaPolicy],
  exports: [MfaPolicy],
})
export class MfaPolicyModule {
  constructor(nav: NavigationRegistry) {
    // The page is the admin module's (admin/admin-mfa-pages.controller.ts), on this module's policy.
    nav.add({ section: 'admin', href: '/admin/ui/mfa', label: 'Two-factor policy', order: 25 });
  }
}
