import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { CsrfService } from '../sessions/csrf.service';

/**
 * What every admin page's template needs beyond the layout's context (navigation and flash
 * come from PageLayoutService): the title, the signed-in admin and the CSRF token for its forms.
 */
@Injectable()
export class AdminPageContext {
  constructor(private readonly csrf: CsrfService) {}

  build(p: Principal, title: string, data: Record<string, unknown> = {}): Record<string, unknown> {
    return { title, user: p.user, isAdmin: true, csrf: this.csrf.tokenFor(p.credential.id), ...data };
  }
}
