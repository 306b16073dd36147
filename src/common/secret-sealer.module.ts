import { Global, Module } from '@nestjs/common';
import { SecretSealer } from './secret-sealer';

/** The one {@link SecretSealer} for secrets at rest, available to every module. */
@Global()
@Module({ providers: [SecretSealer], exports: [SecretSealer] })
export class SecretSealerModule {}
