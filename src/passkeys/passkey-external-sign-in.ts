import { Injectable } from '@nestjs/common';
import type { ExternalSignIn, ExternalSignInButton, PasswordRefusal } from '../sign-in/external-sign-in.registry';

/** The sign-in page's "Sign in with a passkey" button (ExternalSignInRegistry); passkeys never refuse a password. */
@Injectable()
export class PasskeyExternalSignIn implements ExternalSignIn {
  buttons(next: string): Promise<ExternalSignInButton[]> {
    return Promise.resolve([{ label: 'Sign in with a passkey', href: `/login/passkey?next=${encodeURIComponent(next)}` }]);
  }

  passwordRefusal(): Promise<PasswordRefusal | null> {
    return Promise.resolve(null);
  }
}
