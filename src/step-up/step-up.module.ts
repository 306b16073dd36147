import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module';
import { PasskeysModule } from '../passkeys/passkeys.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { StepUpController } from './step-up.controller';
import { StepUpInterceptor } from './step-up.interceptor';
import { StepUpService } from './step-up.service';

/**
 * Step-up, "sudo mode" (docs/mfa.md#step-up-sudo-mode): routes marked @RequiresRecentAuthentication() need a
 * browser session that authenticated within `SUDO_MODE_SECONDS`; the re-authentication page and
 * `POST /step-up` (password, authenticator code, or a passkey through PasskeysModule's PasskeysService). The interceptor binds itself to those routes (RouteInterceptorRegistry).
 */
@Module({
  imports: [SessionsModule, UsersModule, MfaModule, PasskeysModule],
  controllers: [StepUpController],
  providers: [StepUpService, StepUpInterceptor],
})
export class StepUpModule {}
