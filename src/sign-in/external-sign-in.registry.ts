import { Injectable } from '@nestjs/common';

/** A button on the sign-in page that starts a sign-in elsewhere ("Sign in with Example Corp"). */
export interface ExternalSignInButton {
  label: string;
  /** Same-origin path that starts the sign-in (a GET). */
  href: string;
}

/** Why password sign-in (and password reset) is refused for an email, and where to sign in instead. */
export interface PasswordRefusal {
  message: string;
  button: ExternalSignInButton;
}

/**
 * What a module offering another way to sign in (the SSO module) plugs into the sign-in page and
 * the password paths. The sessions module lists none of them: they register at start-up.
 */
export interface ExternalSignIn {
  /** Buttons for the sign-in page; `next` is the already-checked return path. */
  buttons(next: string): Promise<ExternalSignInButton[]>;
  /**
   * A refusal when the email's domain must sign in through this provider, else null. Decided
   * from the domain alone, never from whether an account exists.
   */
  passwordRefusal(email: string, next: string): Promise<PasswordRefusal | null>;
}

/** The registered {@link ExternalSignIn} providers (none: password sign-in only). */
@Injectable()
export class ExternalSignInRegistry {
  private readonly providers: ExternalSignIn[] = [];

  register(provider: ExternalSignIn): void {
    this.providers.push(provider);
  }

  async buttons(next: string): Promise<ExternalSignInButton[]> {
    return (await Promise.all(this.providers.map((p) => p.buttons(next)))).flat();
  }

  async passwordRefusal(email: string, next = '/account'): Promise<PasswordRefusal | null> {
    for (const p of this.providers) {
      const refusal = await p.passwordRefusal(email, next);
      if (refusal) return refusal;
    }
    return null;
  }
}
