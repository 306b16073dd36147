import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RecoveryCode } from './recovery-code.entity';
import { RecoveryCodesService } from './recovery-codes.service';

/**
 * Recovery codes (docs/mfa.md): ten single-use codes per user (`mfa_recovery_codes`, SHA-256
 * only), made, counted, used and removed here; shown once (`recoveryCodesReveal`). The MFA core
 * registers them as a second-factor kind and decides when a set is made or dropped.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RecoveryCode])],
  providers: [RecoveryCodesService],
  exports: [RecoveryCodesService],
})
export class RecoveryCodesModule {}
