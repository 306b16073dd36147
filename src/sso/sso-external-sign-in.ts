import { Injectable } from '@nestjs/common';
import type { ExternalSignIn, ExternalSignInButton, PasswordRefusal } from '../sign-in/external-sign-in.registry';
import { SsoConnectionsService } from '../sso-connections/sso-connections.service';
import { startPath } from './sso.controller';

/** What single sign-on adds to the sign-in page and the password paths (ExternalSignInRegistry). */
@Injectable()
export class SsoExternalSignIn implements ExternalSignIn {
  constructor(private readonly connections: SsoConnectionsService) {}

  async buttons(next: string): Promise<ExternalSignInButton[]> {
    return (await this.connections.listEnabled()).map((c) => ({ label: `Sign in with ${c.name}`, href: startPath(c.slug, next) }));
  }

  async passwordRefusal(email: string, next: string): Promise<PasswordRefusal | null> {
    const c = await this.connections.requiredFor(email);
    if (!c) return null;
    return {
      message: `People at ${email.slice(email.lastIndexOf('@') + 1)} sign in with ${c.name}: passwords are not used for this address.`,
      button: { label: `Sign in with ${c.name}`, href: startPath(c.slug, next, email) },
    };
  }
}
