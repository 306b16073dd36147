import { Module } from '@nestjs/common';
import { SecondFactorRegistry } from './second-factor.registry';

/**
 * Multi-factor sign-in (docs/mfa.md): the second-factor registry every factor kind plugs into,
 * the second step after the password, TOTP, recovery codes, the operator policy and step-up.
 */
@Module({
  providers: [SecondFactorRegistry],
  exports: [SecondFactorRegistry],
})
export class MfaModule {}
