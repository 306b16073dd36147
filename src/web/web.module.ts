import { Global, Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { HomeController } from './home.controller';
import { NavigationRegistry } from './navigation.registry';
import { PageLayoutInterceptor } from './page-layout.interceptor';
import { PageLayoutService } from './page-layout.service';

/**
 * The shell around every page: the home route, the shared navigation (NavigationRegistry: one
 * line adds a page), the layout's context and flash messages. Global, so any module can add
 * its page to the navigation.
 */
@Global()
@Module({
  imports: [SessionsModule],
  controllers: [HomeController],
  // The interceptor binds itself to the routes that render pages (RouteInterceptorRegistry).
  providers: [NavigationRegistry, PageLayoutService, PageLayoutInterceptor],
  exports: [NavigationRegistry, PageLayoutService],
})
export class WebModule {}
