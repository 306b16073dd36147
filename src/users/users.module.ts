import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScopeRegistry } from '../auth/scope-registry';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { CredentialEpochService } from './credential-epoch.service';
import { MeController } from './me.controller';
import { PasswordHasher } from './password-hasher.service';
import { UserCredentialRegistry } from './user-credential-source';
import { UserLifecycleService } from './user-lifecycle.service';
import { User } from './user.entity';
import { USER_SCOPES } from './users.scopes';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [MeController],
  providers: [UsersService, PasswordHasher, BootstrapAdminService, UserLifecycleService, UserCredentialRegistry, CredentialEpochService],
  exports: [UsersService, PasswordHasher, UserLifecycleService, UserCredentialRegistry, CredentialEpochService],
})
export class UsersModule {
  constructor(scopes: ScopeRegistry) {
    scopes.register(USER_SCOPES);
  }
}
