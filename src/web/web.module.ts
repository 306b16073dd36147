import { Global, Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { NOT_FOUND_PAGE_CONTEXT } from '../common/not-found-page';
import { HomeController } from './home.controller';
import { NavigationRegistry } from './navigation.registry';
import { PageLayoutInterceptor } from './page-layout.interceptor';
import { PageLayoutService } from './page-layout.service';
import { WebNotFoundPageContext } from './not-found-page.context';

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
  providers: [
    NavigationRegistry,
    PageLayoutService,
    PageLayoutInterceptor,
    { provide: NOT_FOUND_PAGE_CONTEXT, useClass: WebNotFoundPageContext },
  ],
  exports: [NavigationRegistry, PageLayoutService, NOT_FOUND_PAGE_CONTEXT],
})
export class WebModule {}
