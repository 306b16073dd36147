import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity';
import { AuditRequestInterceptor } from './audit-request.interceptor';
import { AccountSecurityController } from './account-security.controller';
import { AuditDenialRecorder } from './audit-denial.recorder';
import { AuditExportService } from './audit-export.service';
import { AuditService } from './audit.service';

/** Global so every module can record events without importing it. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AccountSecurityController],
  // The interceptor is not global: it binds itself to the routes it may record (RouteInterceptorRegistry).
  providers: [AuditService, AuditExportService, AuditDenialRecorder, AuditRequestInterceptor],
  exports: [AuditService, AuditExportService],
})
export class AuditModule {}
